#!/usr/bin/env bats
# bssh-exec against a real OpenSSH sshd: the worker contract.

load lib/common
load lib/sshd
load lib/client

setup_file() {
	fx_start 4
}

teardown_file() {
	fx_stop
}

setup() {
	bssh_setup
	client_opts
}

@test "runs a command with stdout and stderr kept apart" {
	bssh-exec "${CLIENT_OPTS[@]}" 127.0.0.1 'echo to-out; echo to-err >&2' \
		>"$BSSH_TMP/out" 2>"$BSSH_TMP/err"
	[ "$(cat "$BSSH_TMP/out")" = "to-out" ]
	[ "$(cat "$BSSH_TMP/err")" = "to-err" ]
}

@test "the command words are joined like ssh and run by the remote shell" {
	run bssh-exec "${CLIENT_OPTS[@]}" 127.0.0.2 echo 'a  b' '$((6*7))'
	assert_success
	assert_output_equals "a b 42"
}

@test "the remote user and address are the ones asked for" {
	run bssh-exec "${CLIENT_OPTS[@]}" 127.0.0.3 'set -- $SSH_CONNECTION; echo "$(id -un) $3"'
	assert_success
	assert_output_equals "$FX_USER 127.0.0.3"
}

@test "the exit status is the remote one" {
	run bssh-exec "${CLIENT_OPTS[@]}" 127.0.0.1 'exit 7'
	assert_status 7
	run bssh-exec "${CLIENT_OPTS[@]}" 127.0.0.1 'exit 0'
	assert_status 0
}

@test "a remote signal gives 128+N" {
	run bssh-exec "${CLIENT_OPTS[@]}" 127.0.0.1 'kill -TERM $$'
	assert_status 143
	run bssh-exec "${CLIENT_OPTS[@]}" 127.0.0.1 'kill -KILL $$'
	assert_status 137
}

@test "local stdin is forwarded, and EOF ends the remote read" {
	run bash -c 'printf "one\ntwo\nthree\n" | bssh-exec "$@" 127.0.0.1 "wc -l"' _ "${CLIENT_OPTS[@]}"
	assert_success
	[ "$(echo $output)" = 3 ]
}

@test "stdin on /dev/null gives the remote command an immediate EOF" {
	run bssh-exec "${CLIENT_OPTS[@]}" 127.0.0.1 'cat; echo done' </dev/null
	assert_success
	assert_output_equals "done"
}

@test "8 MiB of stdin arrive byte for byte" {
	head -c 8388608 /dev/urandom >"$BSSH_TMP/in"
	want=$(sha256sum <"$BSSH_TMP/in" | cut -d' ' -f1)
	run bssh-exec "${CLIENT_OPTS[@]}" 127.0.0.1 'sha256sum | cut -d" " -f1' <"$BSSH_TMP/in"
	assert_success
	assert_output_equals "$want"
}

@test "binary output is passed through unchanged" {
	bssh-exec "${CLIENT_OPTS[@]}" 127.0.0.1 'seq 1 200000 | gzip -n -1' >"$BSSH_TMP/out"
	seq 1 200000 | gzip -n -1 >"$BSSH_TMP/want"
	cmp "$BSSH_TMP/out" "$BSSH_TMP/want"
	printf '\000\001\377\n\r\033' >"$BSSH_TMP/want2"
	bssh-exec "${CLIENT_OPTS[@]}" 127.0.0.1 "printf '\\000\\001\\377\\n\\r\\033'" >"$BSSH_TMP/out2"
	cmp "$BSSH_TMP/out2" "$BSSH_TMP/want2"
}

@test "destination forms: user@host, host:port, ssh://user@host:port" {
	run bssh-exec -i "$FX_KEY" -o UserKnownHostsFile="$FX_KNOWN_HOSTS" \
		--strict-host-key-checking yes -p "$FX_PORT" "$FX_USER@127.0.0.2" 'echo ok1'
	assert_output_equals ok1
	# as ssh: the first value in command-line order wins, user@ or -l
	run bssh-exec -i "$FX_KEY" -o UserKnownHostsFile="$FX_KNOWN_HOSTS" \
		--strict-host-key-checking yes "$FX_USER@127.0.0.2:$FX_PORT" -l nobody-here 'echo ok2'
	assert_output_equals ok2
	run bssh-exec -i "$FX_KEY" -o UserKnownHostsFile="$FX_KNOWN_HOSTS" \
		--strict-host-key-checking yes -l nobody-here "$FX_USER@127.0.0.2:$FX_PORT" 'echo no'
	assert_status 255
	assert_output_contains "authenticate as nobody-here"
	run bssh-exec -i "$FX_KEY" -o UserKnownHostsFile="$FX_KNOWN_HOSTS" \
		--strict-host-key-checking yes "ssh://$FX_USER@127.0.0.2:$FX_PORT" 'echo ok3'
	assert_output_equals ok3
}

@test "options may follow the destination, as with ssh" {
	run bssh-exec 127.0.0.1 "${CLIENT_OPTS[@]}" 'echo after'
	assert_success
	assert_output_equals after
}

@test "a command starting with a dash is passed after --, not parsed" {
	run bssh-exec "${CLIENT_OPTS[@]}" 127.0.0.1 -- -V
	assert_status 2
	assert_output_not_contains "bssh-exec"
}

@test "connection refused: 255 and the reason" {
	run bssh-exec -p 1 -l "$FX_USER" 127.0.0.1 true
	assert_status 255
	assert_output_equals "bssh-exec: connect to 127.0.0.1 port 1: Connection refused"
}

@test "an unresolvable host: 255 and the resolver's reason" {
	run bssh-exec -p "$FX_PORT" no-such-host.invalid true
	assert_status 255
	assert_output_contains "bssh-exec: resolve no-such-host.invalid: "
}

@test "an unbracketed IPv6 address is refused" {
	run bssh-exec ::1 true
	assert_status 255
	assert_output_contains "bssh-exec: destination"
	assert_output_contains "brackets"
}

@test "--status-fd reports the session as JSON lines and keeps stderr clean" {
	run bssh-exec "${CLIENT_OPTS[@]}" --status-fd 3 127.0.0.1 'exit 4' 3>"$BSSH_TMP/st"
	assert_status 4
	assert_output_equals ""
	run cat "$BSSH_TMP/st"
	assert_line_equals 0 '{"event":"hello","program":"bssh-exec","version":1}'
	assert_output_contains '"event":"connected"'
	assert_output_contains '{"event":"authenticated","method":"publickey"}'
	assert_output_contains '{"event":"exit","status":4}'
	run bssh-exec -p 1 --status-fd 3 127.0.0.1 true 3>"$BSSH_TMP/st2"
	assert_status 255
	assert_output_equals ""
	run cat "$BSSH_TMP/st2"
	assert_output_contains '{"event":"error","kind":"connect","message":"connect to 127.0.0.1 port 1: Connection refused"}'
}

@test "--timeout stops the remote command and exits 255" {
	run bssh-exec "${CLIENT_OPTS[@]}" --timeout 1 127.0.0.1 'sleep 4242; echo never'
	assert_status 255
	assert_output_contains "command timed out after 1 s"
	assert_output_not_contains never
	wait_gone "sleep 4242"
}

@test "--connect-timeout bounds a server that accepts and never speaks" {
	tcpsink -t 30 >"$BSSH_TMP/port" &
	sink=$!
	for i in $(seq 100); do [ -s "$BSSH_TMP/port" ] && break; sleep 0.05; done
	port=$(cat "$BSSH_TMP/port")
	start=$SECONDS
	run bssh-exec --connect-timeout 1 --status-fd 3 -p "$port" 127.0.0.1 true 3>"$BSSH_TMP/st"
	kill "$sink"
	assert_status 255
	[ $((SECONDS - start)) -lt 10 ]
	grep -q '"kind":"timeout"' "$BSSH_TMP/st"
}

@test "SIGTERM is forwarded to the remote command and gives 143" {
	bssh-exec "${CLIENT_OPTS[@]}" 127.0.0.1 'sleep 4243' &
	pid=$!
	wait_running "sleep 4243"
	kill -TERM "$pid"
	status=0
	wait "$pid" || status=$?
	assert_status 143
	wait_gone "sleep 4243"
}

@test "ServerAliveInterval declares a frozen server dead" {
	bssh-exec "${CLIENT_OPTS[@]}" -o ServerAliveInterval=1 -o ServerAliveCountMax=2 \
		127.0.0.4 'sleep 4244' 2>"$BSSH_TMP/err" &
	pid=$!
	wait_running "sleep 4244"
	sessions=$(sshd_session_pids)
	[ -n "$sessions" ]
	kill -STOP $sessions
	status=0
	wait "$pid" || status=$?
	kill -CONT $sessions
	pkill -xf "sleep 4244" || true
	assert_status 255
	grep -q "server not responding" "$BSSH_TMP/err"
}

@test "usage errors exit 255 with a usage line" {
	run bssh-exec
	assert_status 255
	assert_output_contains "bssh-exec: usage: bssh-exec"
	run bssh-exec --no-such-option host true
	assert_status 255
	run bssh-exec -o Bogus=1 127.0.0.1 true
	assert_status 255
	assert_output_equals "bssh-exec: -o Bogus: unsupported option"
	run bssh-exec -o Port=99999 127.0.0.1 true
	assert_status 255
	assert_output_contains "out of range"
	run bssh-exec --timeout soon 127.0.0.1 true
	assert_status 255
	assert_output_contains "--timeout"
}

@test "-V prints the version" {
	run bssh-exec -V
	assert_success
	assert_output_contains "bssh-exec "
}

@test "-t asks for a PTY even without a local terminal (80x24 by default)" {
	# OpenSSH's sshd must chown the PTY to the tty group: it cannot as a user.
	[ "$EUID" -eq 0 ] || skip "sshd running as an ordinary user cannot allocate PTYs"
	run bssh-exec "${CLIENT_OPTS[@]}" -t 127.0.0.1 'tty; stty size' </dev/null
	assert_success
	[[ ${lines[0]} == /dev/pts/* ]]
	[[ ${lines[1]} == "24 80"* ]]
}

@test "without -t there is no PTY; -T refuses one even for a shell" {
	run bssh-exec "${CLIENT_OPTS[@]}" 127.0.0.1 'tty'
	assert_output_contains "not a tty"
	run bash -c 'echo "tty; echo shell-ran" | bssh-exec "$@" -T 127.0.0.1' _ "${CLIENT_OPTS[@]}"
	assert_output_contains "not a tty"
	assert_output_contains "shell-ran"
}

@test "with no command, stdin feeds the remote shell" {
	run bash -c 'printf "echo one\nexit 5\n" | bssh-exec "$@" 127.0.0.1' _ "${CLIENT_OPTS[@]}"
	assert_status 5
	assert_output_equals one
}

#!/usr/bin/env bats
# shellcheck disable=SC2016
# The pdsh personality: bssh invoked as pdsh (argv[0]), with --pdsh-compat
# or BSSH_PDSH_COMPAT=1.  Differential against the real pdsh -R ssh on the
# same loopback hosts where pdsh is installed: the same stdout (sorted by
# line) and the same exit status.

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
	mkdir -p "$BSSH_TMP/bin"
	ln -s "$(command -v bssh)" "$BSSH_TMP/bin/pdsh"
	OURS=$BSSH_TMP/bin/pdsh
	# How real deployments point pdsh's ssh at their keys: PDSH_SSH_ARGS_APPEND.
	OUR_BASE="-i $FX_KEY -l $FX_USER -o UserKnownHostsFile=$FX_KNOWN_HOSTS -o GlobalKnownHostsFile=none -o StrictHostKeyChecking=yes"
	OUR_SSH="$OUR_BASE -p $FX_PORT"
	REAL_SSH="-F $FX_SSH_CONFIG"
	export PDSH_RCMD_TYPE=ssh
	unset WCOLL FANOUT PDSH_SSH_ARGS PDSH_CONNECT_TIMEOUT PDSH_COMMAND_TIMEOUT
}

real_pdsh() {
	command -v pdsh >/dev/null && [ "$(command -v pdsh)" != "$OURS" ] || skip "pdsh is not installed"
	PDSH_SSH_ARGS_APPEND="$REAL_SSH" command pdsh "$@"
}

ours() {
	PDSH_SSH_ARGS_APPEND="$OUR_SSH" "$OURS" "$@"
}

# same ARGS...: both tools, sorted stdout and exit status must agree.
same() {
	local r1=0 r2=0
	real_pdsh "$@" >"$BSSH_TMP/real" 2>"$BSSH_TMP/real.err" || r1=$?
	ours "$@" >"$BSSH_TMP/ours" 2>"$BSSH_TMP/ours.err" || r2=$?
	if ! diff <(sort "$BSSH_TMP/real") <(sort "$BSSH_TMP/ours") >&2 || [ "$r1" != "$r2" ]; then
		echo "pdsh exit $r1, ours $r2; stderr:" >&2
		cat "$BSSH_TMP/real.err" "$BSSH_TMP/ours.err" >&2
		return 1
	fi
}

@test "differential: stdout and stderr lines, non-zero exits, with and without -S and -N" {
	for opt in "" -S -N "-S -N"; do
		# shellcheck disable=SC2086
		same $opt -w '127.0.0.[1-4]' 'echo out; echo err >&2; exit 3'
		# shellcheck disable=SC2086
		same $opt -w '127.0.0.[1-4]' 'set -- $SSH_CONNECTION; echo "${3##*.}"; exit "${3##*.}"'
	done
}

@test "differential: tabs, CR, empty lines and a missing trailing newline (one host)" {
	same -w 127.0.0.2 'printf "a\tb\r\nc\n\n\nend"'
	same -S -w 127.0.0.2 'printf "no newline at all"'
	same -w 127.0.0.2 'printf "\n"'
}

@test "differential: a remote signal is ssh's 255 with -S" {
	same -S -w '127.0.0.[1-2]' 'kill -TERM $$'
	same -w '127.0.0.[1-2]' 'kill -TERM $$'
}

@test "differential: unreachable hosts (refused port): exit 255 with -S, 0 without" {
	REAL_SSH="$REAL_SSH -p 1" OUR_SSH="$OUR_BASE -p 1" same -S -w '127.0.0.[1-3]' true
	REAL_SSH="$REAL_SSH -p 1" OUR_SSH="$OUR_BASE -p 1" same -w '127.0.0.[1-3]' true
}

@test "differential: -x, -f, -l and repeated -w" {
	same -w '127.0.0.[1-4]' -x '127.0.0.[2-3]' 'echo $(id -un)'
	same -f 1 -w 127.0.0.1 -w 127.0.0.4 'echo hi'
	same -l "$FX_USER" -w '127.0.0.[1-2]' 'id -un'
}

@test "failure lines are pdsh's, word for word" {
	run ours -w '127.0.0.[1-2]' 'exit 3'
	assert_success
	host=$(hostname | cut -d. -f1)
	assert_output_contains "pdsh@$host: 127.0.0.1: ssh exited with exit code 3"
	assert_output_contains "pdsh@$host: 127.0.0.2: ssh exited with exit code 3"
	OUR_SSH="$OUR_BASE -p 1" run ours -w 127.0.0.3 true
	assert_output_contains "127.0.0.3: connect to 127.0.0.3 port 1: Connection refused"
	assert_output_contains "pdsh@$host: 127.0.0.3: ssh exited with exit code 255"
	run ours -u 1 -w 127.0.0.1 'sleep 4330'
	assert_output_contains "pdsh@$host: 127.0.0.1: command timeout"
}

@test "the personality is chosen by argv[0], --pdsh-compat or BSSH_PDSH_COMPAT" {
	run ours -w 127.0.0.1 'echo via-argv0'
	assert_output_equals "127.0.0.1: via-argv0"
	PDSH_SSH_ARGS_APPEND="$OUR_SSH" run bssh --pdsh-compat -w 127.0.0.1 'echo via-flag'
	assert_output_equals "127.0.0.1: via-flag"
	PDSH_SSH_ARGS_APPEND="$OUR_SSH" BSSH_PDSH_COMPAT=1 run bssh -w 127.0.0.1 'echo via-env'
	assert_output_equals "127.0.0.1: via-env"
	ln -s "$(command -v bssh)" "$BSSH_TMP/bin/pdsh.bssh"
	PDSH_SSH_ARGS_APPEND="$OUR_SSH" run "$BSSH_TMP/bin/pdsh.bssh" -w 127.0.0.1 'echo dotted'
	assert_output_equals "127.0.0.1: dotted"
}

@test "-w - reads hosts from stdin; WCOLL names a host file" {
	run bash -c 'printf "127.0.0.1\n# comment\n127.0.0.2\n" | "$@"' _ env PDSH_SSH_ARGS_APPEND="$OUR_SSH" "$OURS" -w - 'echo hi'
	assert_success
	[ "$(sort <<<"$output")" = "$(printf '127.0.0.1: hi\n127.0.0.2: hi')" ]
	printf '127.0.0.3\n127.0.0.4\n' >"$BSSH_TMP/wcoll"
	WCOLL=$BSSH_TMP/wcoll run ours 'echo hi'
	[ "$(sort <<<"$output")" = "$(printf '127.0.0.3: hi\n127.0.0.4: hi')" ]
}

@test "ClusterShell's argument shapes: '-f 32' and '-w node1,node2' as single words" {
	run ours "-f 32" "-u 10" "-w 127.0.0.1,127.0.0.2" 'echo hi'
	assert_success
	[ "$(sort <<<"$output")" = "$(printf '127.0.0.1: hi\n127.0.0.2: hi')" ]
}

@test "-q prints pdsh's option summary and the folded target list" {
	run ours -q -b -N -l bob -t 5 -u 7 -f 9 -w 'a[1-3],b' -x a2 hostname
	assert_success
	assert_line_equals 0 "-- DSH-specific options --"
	assert_output_contains $'Command:\t\thostname'
	assert_output_contains $'Remote username\t\tbob'
	assert_output_contains $'one ^C will kill pdsh   Yes'
	assert_output_contains $'Connect timeout (secs)\t5'
	assert_output_contains $'Command timeout (secs)\t7'
	assert_output_contains $'Fanout\t\t\t9'
	assert_output_contains $'Display hostname labels\tNo'
	[ "${lines[-2]}" = "-- Target nodes --" ]
	[ "${lines[-1]}" = "a[1,3],b" ]
}

@test "-q layout matches the real pdsh field for field" {
	command -v pdsh >/dev/null || skip "pdsh is not installed"
	real_pdsh -q -l bob -w 'x[1-4]' -x x2 uptime | grep -v 'program pathname\|program path' >"$BSSH_TMP/real"
	ours -q -l bob -w 'x[1-4]' -x x2 uptime | grep -v 'program pathname\|program path' >"$BSSH_TMP/ours"
	diff "$BSSH_TMP/real" "$BSSH_TMP/ours"
}

@test "PDSH_SSH_ARGS_APPEND: -o, -p, -i, -l, attached forms and ignored -2 -a -x" {
	PDSH_SSH_ARGS_APPEND="-2 -a -x -i$FX_KEY -p$FX_PORT -l$FX_USER -oUserKnownHostsFile=$FX_KNOWN_HOSTS -o StrictHostKeyChecking=yes" \
		run "$OURS" -w 127.0.0.1 'echo ok'
	assert_output_equals "127.0.0.1: ok"
	PDSH_SSH_ARGS_APPEND="-Y" run "$OURS" -w 127.0.0.1 'echo ok'
	assert_status 1
	assert_output_contains "PDSH_SSH_ARGS_APPEND: ssh option -Y is not supported"
}

@test "errors: pdsh's words and exit 1" {
	host=$(hostname | cut -d. -f1)
	run "$OURS" -Z
	assert_status 1
	assert_output_equals "pdsh@$host: invalid option -- 'Z'"
	run "$OURS" true
	assert_status 1
	assert_output_equals "pdsh@$host: no remote hosts specified"
	run "$OURS" -R exec -w a true
	assert_status 1
	assert_output_contains 'rcmd module "exec" is not available'
	run "$OURS" -g rack1 true
	assert_status 1
	run "$OURS" -w a
	assert_status 1
	run "$OURS" -w 'a[1-' true
	assert_status 1
}

@test "-V and -h" {
	run "$OURS" -V
	assert_success
	[[ ${lines[0]} == pdsh* ]]
	run "$OURS" -h
	assert_success
	assert_output_contains "Usage: pdsh"
}

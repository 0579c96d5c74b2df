#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2154,SC2012
# bssh, the driver, against a real OpenSSH sshd serving 127.0.0.1..20: fan-out
# to 20 distinct host names, hostlists with -H/-f/-x, exit strategies, failing
# nodes (refused, unresolvable, remote signal), ping, --stdin, the SSH
# personality and usage errors.

bats_require_minimum_version 1.5.0

load lib/common
load lib/sshd
load lib/client
load lib/driver

setup_file() {
	fx_start 20
}

teardown_file() {
	fx_stop
}

setup() {
	bssh_setup
	client_opts
}

teardown() {
	driver_teardown
}



# ---------------------------------------------------------------- fan-out

@test "20 hosts: each answers once from its own address, blocks in node order" {
	# Node N sleeps (20-N)/10 s: node 1 finishes last, node 20 first, so
	# completion order is the reverse of node order.
	bssh_files "${CLIENT_OPTS[@]}" --parallel 20 -H '127.0.0.[1-20]' -- \
		"$ADDR"' d=$((20 - n)); sleep $((d / 10)).$((d % 10)); echo "$a"; echo "second line of $n"'
	assert_status 0
	want=$(for i in $(seq 1 20); do
		printf '=== 127.0.0.%s ===\n127.0.0.%s\nsecond line of %s\n' "$i" "$i" "$i"
	done)
	diff <(printf '%s\n' "$want") "$BSSH_TMP/out"
	[ ! -s "$BSSH_TMP/err" ]
}

@test "20 hosts with the default --parallel 10: still every node once, in order" {
	bssh_files "${CLIENT_OPTS[@]}" -N -H '127.0.0.[1-20]' -- "$ADDR"' echo "$a"'
	assert_status 0
	diff <(seq -f '127.0.0.%g' 1 20) "$BSSH_TMP/out"
}

# ---------------------------------------------------------------- hostlists

@test "hostlists: several -H, comma lists with ranges, ^file, duplicates removed" {
	printf '# a comment\n127.0.0.9\n\n127.0.0.4\n127.0.0.9\n' >"$BSSH_TMP/hosts"
	bssh_files "${CLIENT_OPTS[@]}" -N -H '127.0.0.[1,3,5-7]' -H '127.0.0.3,127.0.0.2' \
		-H "^$BSSH_TMP/hosts" -H '127.0.0.[1-2]' -- "$ADDR"' echo "$a"'
	assert_status 0
	diff <(printf '127.0.0.%s\n' 1 3 5 6 7 2 9 4) "$BSSH_TMP/out"
}

@test "the node name is the entry as written; user@ and :port per entry" {
	bssh_files -p 1 -l nobody-here -i "$FX_KEY" -o IdentitiesOnly=yes \
		-o UserKnownHostsFile="$FX_KNOWN_HOSTS" --strict-host-key-checking yes \
		-H "$FX_USER@127.0.0.[3-4]:$FX_PORT" -- "$ADDR"' echo "$(id -un) $a"'
	assert_status 0
	diff <(printf '=== %s@127.0.0.%s:%s ===\n%s 127.0.0.%s\n' \
		"$FX_USER" 3 "$FX_PORT" "$FX_USER" 3 "$FX_USER" 4 "$FX_PORT" "$FX_USER" 4) "$BSSH_TMP/out"
}

@test "-x is exact: excluding 127.0.0.1 keeps 127.0.0.10..19" {
	bssh_files "${CLIENT_OPTS[@]}" -N --parallel 20 -H '127.0.0.[1-20]' -x 127.0.0.1 -- "$ADDR"' echo "$a"'
	assert_status 0
	diff <(seq -f '127.0.0.%g' 2 20) "$BSSH_TMP/out"
}

@test "-f is exact: filtering on 127.0.0.1 keeps only 127.0.0.1" {
	bssh_files "${CLIENT_OPTS[@]}" -N -H '127.0.0.[1-20]' --filter 127.0.0.1 -- "$ADDR"' echo "$a"'
	assert_status 0
	diff <(echo 127.0.0.1) "$BSSH_TMP/out"
}

@test "-f and -x together: the filter first, then every exclude" {
	bssh_files "${CLIENT_OPTS[@]}" -N -H '127.0.0.[1-20]' -f '127.0.0.1*' \
		-x '127.0.0.1[2-4]' --exclude 127.0.0.17,127.0.0.1 -- "$ADDR"' echo "$a"'
	assert_status 0
	diff <(printf '127.0.0.%s\n' 10 11 15 16 18 19) "$BSSH_TMP/out"
	# an exclude that empties a filtered list
	run --separate-stderr bssh "${CLIENT_OPTS[@]}" -H '127.0.0.[1-20]' -f '127.0.0.1[0-1]' -x '127.0.0.1*' -- true
	assert_status 255
	[ "$stderr" = "bssh: no hosts left to run on" ]
}

@test "-f with several patterns in one argument: a node is kept when it matches any" {
	bssh_files "${CLIENT_OPTS[@]}" -N -H '127.0.0.[1-20]' -f '127.0.0.1[5-9],127.0.0.2' -- "$ADDR"' echo "$a"'
	assert_status 0
	diff <(printf '127.0.0.%s\n' 2 15 16 17 18 19) "$BSSH_TMP/out"
}

# Regression: bin/bssh.c build_hosts() used to apply each -f in turn (an
# intersection: "no host matches the filter").
@test "several -f options: a node is kept when it matches any of them" {
	bssh_files "${CLIENT_OPTS[@]}" -N -H '127.0.0.[1-20]' -f '127.0.0.1[5-9]' --filter 127.0.0.2 -- "$ADDR"' echo "$a"'
	assert_status 0
	diff <(printf '127.0.0.%s\n' 2 15 16 17 18 19) "$BSSH_TMP/out"
}

@test "hostlist errors: bad expression, empty filter, everything excluded: 255" {
	run --separate-stderr bssh "${CLIENT_OPTS[@]}" -H '127.0.0.[1-3' -- true
	assert_status 255
	[[ $stderr == "bssh: -H "* ]]
	[[ $stderr == *"unclosed '['"* ]]
	[ -z "$output" ]
	run --separate-stderr bssh "${CLIENT_OPTS[@]}" -H '127.0.0.[1-3]' -f 127.0.0.9 -- true
	assert_status 255
	[ "$stderr" = "bssh: no host matches the filter" ]
	run --separate-stderr bssh "${CLIENT_OPTS[@]}" -H '127.0.0.[1-3]' -x '127.0.0.[1-3]' -- true
	assert_status 255
	[ "$stderr" = "bssh: no hosts left to run on" ]
	run --separate-stderr bssh "${CLIENT_OPTS[@]}" -H "^$BSSH_TMP/no-such-file" -- true
	assert_status 255
	[[ $stderr == "bssh: -H "* ]]
}

# ---------------------------------------------------------------- exit strategies

# Node N exits (3N) mod 5: nodes 1..6 give 3 1 4 2 0 3.
MIXED='set -- $SSH_CONNECTION; n=${3##*.}; exit $(((n * 3) % 5))'
# Node N exits 2(N-1): node 1 succeeds, nodes 2..6 give 2 4 6 8 10.
FIRST_OK='set -- $SSH_CONNECTION; n=${3##*.}; exit $(((n - 1) * 2))'

@test "default strategy: the main rank's (first node's) status, even when others fail" {
	run bssh "${CLIENT_OPTS[@]}" -N -H '127.0.0.[1-6]' -- "$MIXED"
	assert_status 3
	run bssh "${CLIENT_OPTS[@]}" -N -H '127.0.0.[1-6]' -- "$FIRST_OK"
	assert_status 0
	assert_output_contains "bssh: 5 of 6 nodes failed: 127.0.0.[2-6]"
	# the first node is the first of the list, not the lowest address
	run bssh "${CLIENT_OPTS[@]}" -N -H '127.0.0.[4,1-3]' -- "$MIXED"
	assert_status 2
}

@test "Backend.AI main rank: BACKENDAI_CLUSTER_HOST names the main node" {
	BACKENDAI_CLUSTER_ROLE=main BACKENDAI_CLUSTER_HOST=127.0.0.3 \
		run bssh "${CLIENT_OPTS[@]}" -N -H '127.0.0.[1-6]' -- "$MIXED"
	assert_status 4
	# the role is compared in any case; the host part of user@host:port counts
	BACKENDAI_CLUSTER_ROLE=MAIN BACKENDAI_CLUSTER_HOST=127.0.0.5 \
		run bssh "${CLIENT_OPTS[@]}" -N -H "127.0.0.[1-4],$FX_USER@127.0.0.5:$FX_PORT,127.0.0.6" -- "$MIXED"
	assert_status 0
	# not the main role: the first node
	BACKENDAI_CLUSTER_ROLE=sub BACKENDAI_CLUSTER_HOST=127.0.0.3 \
		run bssh "${CLIENT_OPTS[@]}" -N -H '127.0.0.[1-6]' -- "$MIXED"
	assert_status 3
	# --check-all-nodes with a main rank that succeeded and others that failed
	BACKENDAI_CLUSTER_ROLE=main BACKENDAI_CLUSTER_HOST=127.0.0.5 \
		run bssh "${CLIENT_OPTS[@]}" -N --check-all-nodes -H '127.0.0.[1-6]' -- "$MIXED"
	assert_status 1
}

@test "--require-all-success: 0 only when every node returned 0, else 1" {
	run bssh "${CLIENT_OPTS[@]}" -N --require-all-success -H '127.0.0.[1-6]' -- "$MIXED"
	assert_status 1
	run bssh "${CLIENT_OPTS[@]}" -N --require-all-success -H '127.0.0.[1-6]' -- "$FIRST_OK"
	assert_status 1
	run bssh "${CLIENT_OPTS[@]}" -N --require-all-success -H '127.0.0.[1-6]' -- 'exit 0'
	assert_status 0
}

@test "--check-all-nodes: main's status if not 0, else 1 if any failed, else 0" {
	run bssh "${CLIENT_OPTS[@]}" -N --check-all-nodes -H '127.0.0.[1-6]' -- "$MIXED"
	assert_status 3
	run bssh "${CLIENT_OPTS[@]}" -N --check-all-nodes -H '127.0.0.[1-6]' -- "$FIRST_OK"
	assert_status 1
	run bssh "${CLIENT_OPTS[@]}" -N --check-all-nodes -H '127.0.0.[1-6]' -- 'exit 0'
	assert_status 0
}

@test "--any-failure: the largest status" {
	run bssh "${CLIENT_OPTS[@]}" -N --any-failure -H '127.0.0.[1-6]' -- "$MIXED"
	assert_status 4
	run bssh "${CLIENT_OPTS[@]}" -N --any-failure -H '127.0.0.[1-6]' -- "$FIRST_OK"
	assert_status 10
	run bssh "${CLIENT_OPTS[@]}" -N --any-failure -H '127.0.0.[1-6]' -- 'exit 0'
	assert_status 0
}

@test "two different exit strategies exclude each other: 255; the same one twice is fine" {
	local msg="bssh: --require-all-success, --check-all-nodes and --any-failure exclude each other"
	run --separate-stderr bssh "${CLIENT_OPTS[@]}" --require-all-success --any-failure -H 127.0.0.1 -- true
	assert_status 255
	[ "$stderr" = "$msg" ]
	run --separate-stderr bssh "${CLIENT_OPTS[@]}" --check-all-nodes --require-all-success -H 127.0.0.1 -- true
	assert_status 255
	[ "$stderr" = "$msg" ]
	run --separate-stderr bssh "${CLIENT_OPTS[@]}" --any-failure --check-all-nodes -H 127.0.0.1 -- true
	assert_status 255
	[ "$stderr" = "$msg" ]
	run bssh "${CLIENT_OPTS[@]}" --any-failure --any-failure -H 127.0.0.1 -- 'exit 6'
	assert_status 6
}

@test "a remote signal: the node's status is 128+N, with the signal named" {
	bssh_files "${CLIENT_OPTS[@]}" -H '127.0.0.[1-3]' -- "$ADDR"' [ "$n" = 1 ] && kill -TERM $$; echo "alive $n"'
	assert_status 143
	diff <(printf '=== 127.0.0.%s ===\nalive %s\n' 2 2 3 3) "$BSSH_TMP/out"
	grep -qxF "bssh: 127.0.0.1: remote command killed by signal TERM" "$BSSH_TMP/err"
	grep -qxF "bssh: 1 of 3 nodes failed: 127.0.0.1" "$BSSH_TMP/err"
	# on another node, seen through --any-failure and the .exit file
	bssh_files "${CLIENT_OPTS[@]}" --any-failure --output-dir "$BSSH_TMP/o" -H '127.0.0.[1-3]' -- \
		"$ADDR"' [ "$n" = 2 ] && kill -KILL $$; exit 0'
	assert_status 137
	[ "$(cat "$BSSH_TMP/o/127.0.0.2.exit")" = 137 ]
	[ "$(cat "$BSSH_TMP/o/127.0.0.1.exit")" = 0 ]
	grep -qxF "bssh: 127.0.0.2: remote command killed by signal KILL" "$BSSH_TMP/err"
}

# ---------------------------------------------------------------- failing nodes

@test "connection refused on one node: its reason and 255, the others unaffected" {
	bssh_files "${CLIENT_OPTS[@]}" -H '127.0.0.1,127.0.0.2:1,127.0.0.3' -- "$ADDR"' echo "hi from $a"'
	assert_status 0 # main rank: node 1
	diff <(printf '=== 127.0.0.%s ===\nhi from 127.0.0.%s\n' 1 1 3 3) "$BSSH_TMP/out"
	grep -qxF "bssh: 127.0.0.2:1: connect to 127.0.0.2 port 1: Connection refused" "$BSSH_TMP/err"
	grep -qxF "bssh: 1 of 3 nodes failed: 127.0.0.2:1" "$BSSH_TMP/err"

	run bssh "${CLIENT_OPTS[@]}" -N --any-failure -H '127.0.0.1,127.0.0.2:1,127.0.0.3' -- true
	assert_status 255

	bssh_files "${CLIENT_OPTS[@]}" --output-dir "$BSSH_TMP/od" -H '127.0.0.1,127.0.0.2:1,127.0.0.3' -- "$ADDR"' echo "hi from $a"'
	assert_status 0
	[ "$(cat "$BSSH_TMP/od/127.0.0.2:1.exit")" = 255 ]
	[ "$(cat "$BSSH_TMP/od/127.0.0.2:1.error")" = "connect to 127.0.0.2 port 1: Connection refused" ]
	[ "$(cat "$BSSH_TMP/od/127.0.0.1.stdout")" = "hi from 127.0.0.1" ]
	[ "$(cat "$BSSH_TMP/od/127.0.0.3.stdout")" = "hi from 127.0.0.3" ]
	[ "$(cat "$BSSH_TMP/od/127.0.0.3.exit")" = 0 ]
}

@test "an unresolvable host: the resolver's reason, the others unaffected" {
	bssh_files "${CLIENT_OPTS[@]}" --any-failure -H '127.0.0.1,no-such-host.invalid,127.0.0.2' -- "$ADDR"' echo "hi from $a"'
	assert_status 255
	diff <(printf '=== 127.0.0.%s ===\nhi from 127.0.0.%s\n' 1 1 2 2) "$BSSH_TMP/out"
	grep -q "^bssh: no-such-host.invalid: .*resolve no-such-host.invalid" "$BSSH_TMP/err"
	grep -qxF "bssh: 1 of 3 nodes failed: no-such-host.invalid" "$BSSH_TMP/err"
}

@test "a worker exit of 255 without a message reads 'failed (exit status 255)'" {
	bssh_files "${CLIENT_OPTS[@]}" -H '127.0.0.[1-2]' -- "$ADDR"' [ "$n" = 2 ] && exit 255; exit 0'
	assert_status 0
	grep -qxF "bssh: 127.0.0.2: failed (exit status 255)" "$BSSH_TMP/err"
}

# ---------------------------------------------------------------- ping

@test "ping: one line per node in node order, 'ok (publickey)', exit 0" {
	run --separate-stderr bssh "${CLIENT_OPTS[@]}" --parallel 20 -H '127.0.0.[1-20]' ping
	assert_status 0
	[ "$output" = "$(seq -f '127.0.0.%g: ok (publickey)' 1 20)" ]
	[ -z "$stderr" ]
}

@test "ping with one refused node: its reason and exit 1" {
	run --separate-stderr bssh "${CLIENT_OPTS[@]}" -H '127.0.0.1,127.0.0.2:1,127.0.0.3' ping
	assert_status 1
	[ "$output" = "127.0.0.1: ok (publickey)
127.0.0.2:1: failed: connect to 127.0.0.2 port 1: Connection refused
127.0.0.3: ok (publickey)" ]
}

@test "ping with every node refused: exit 255" {
	run --separate-stderr bssh -p 1 "${CLIENT_OPTS[@]}" -H '127.0.0.[1-3]' ping
	assert_status 255
	[ "$output" = "$(printf '127.0.0.%s: failed: connect to 127.0.0.%s port 1: Connection refused\n' 1 1 2 2 3 3)" ]
}

# ---------------------------------------------------------------- stdin

@test "--stdin: every node gets the same 1 MiB of standard input" {
	head -c 1048576 /dev/urandom >"$BSSH_TMP/in"
	sum=$(sha256sum <"$BSSH_TMP/in" | cut -d' ' -f1)
	bssh_files "${CLIENT_OPTS[@]}" --stdin --parallel 20 -H '127.0.0.[1-20]' -- \
		"$ADDR"' echo "$a $(sha256sum | cut -d" " -f1)"' <"$BSSH_TMP/in"
	assert_status 0
	diff <(seq -f "=== 127.0.0.%g ===" 1 20 | while read -r h; do
		ip=${h#=== }
		ip=${ip% ===}
		printf '%s\n%s %s\n' "$h" "$ip" "$sum"
	done) "$BSSH_TMP/out"
}

@test "--stdin with an empty standard input gives every node an immediate EOF" {
	run bssh "${CLIENT_OPTS[@]}" --stdin -N -H '127.0.0.[1-3]' -- 'wc -c' </dev/null
	assert_success
	[ "$output" = "$(printf '0\n0\n0')" ]
}

@test "without --stdin the remote stdin is empty and bssh leaves its own alone" {
	# /dev/zero would never end if it were forwarded
	run timeout 20 bssh "${CLIENT_OPTS[@]}" -N -H '127.0.0.[1-3]' -- 'cat; echo "done"' </dev/zero
	assert_success
	[ "$output" = "$(printf 'done\ndone\ndone')" ]
	# what bssh does not read is still there for the next reader
	run bash -c 'printf "kept\n" | { bssh "$@" -N -H 127.0.0.1 -- "cat; echo remote"; cat; }' _ "${CLIENT_OPTS[@]}"
	assert_success
	[ "$output" = "$(printf 'remote\nkept')" ]
}

# ---------------------------------------------------------------- SSH personality

@test "SSH personality: one destination, no -H, behaves like bssh-exec" {
	run --separate-stderr bssh -p "$FX_PORT" -l "$FX_USER" -i "$FX_KEY" -o IdentitiesOnly=yes \
		-o UserKnownHostsFile="$FX_KNOWN_HOSTS" --strict-host-key-checking yes \
		127.0.0.5 'set -- $SSH_CONNECTION; echo "$3"; echo oops >&2; exit 3'
	assert_status 3
	[ "$output" = "127.0.0.5" ]
	[ "$stderr" = "oops" ]
	# stdin is forwarded, options may follow the destination
	run bash -c 'printf "one\ntwo\n" | bssh 127.0.0.6 "$@" "wc -l"' _ "${CLIENT_OPTS[@]}"
	assert_success
	[ "$(echo "$output" | tr -d " ")" = 2 ]
	# its failures are bssh-exec's
	run bssh -p 1 -l "$FX_USER" 127.0.0.1 true
	assert_status 255
	assert_output_equals "bssh-exec: connect to 127.0.0.1 port 1: Connection refused"
}

# personality_argv ARGS...: start bssh ARGS in the background against a
# silent TCP sink (so the worker stays in the handshake), wait until bssh has
# replaced itself with bssh-exec and set argv to that process's arguments.
personality_argv() {
	local i
	start_sink
	bssh -p "$sinkport" "$@" 127.0.0.1 true 2>/dev/null &
	pid=$!
	for ((i = 0; i < 500; i++)); do
		[[ $(readlink "/proc/$pid/exe" 2>/dev/null) == */bssh-exec ]] && break
		sleep 0.01
	done
	mapfile -d '' argv <"/proc/$pid/cmdline"
	kill "$pid" "$sink" 2>/dev/null || true
	wait "$pid" "$sink" 2>/dev/null || true
}

# value_after WORD: the argv element that follows WORD.
value_after() {
	local i
	for ((i = 0; i + 1 < ${#argv[@]}; i++)); do
		if [[ ${argv[i]} == "$1" ]]; then
			printf '%s\n' "${argv[i + 1]}"
			return 0
		fi
	done
	return 1
}

@test "SSH personality: --connect-timeout is always passed to bssh-exec (30 by default)" {
	personality_argv
	[[ ${argv[0]} == */bssh-exec ]]
	[[ $(value_after --connect-timeout) =~ ^30(\.0*)?$ ]]
	# --timeout only when given and not 0
	run value_after --timeout
	assert_failure
	personality_argv --timeout 0
	run value_after --timeout
	assert_failure
}

@test "SSH personality: --connect-timeout is passed as given (the worker rounds it up)" {
	personality_argv --connect-timeout 2.7
	[[ $(value_after --connect-timeout) =~ ^2\.70*$ ]]
}

# ---------------------------------------------------------------- usage

@test "usage: no arguments print the usage and exit 255" {
	run --separate-stderr bssh
	assert_status 255
	[[ $stderr == "bssh: usage: bssh [options] -H hosts [--] command ..."* ]]
	[ -z "$output" ]
}

@test "usage: -H without a command" {
	run --separate-stderr bssh -H '127.0.0.[1-2]'
	assert_status 255
	[ "$stderr" = "bssh: no command given (try: bssh -H hosts -- command)" ]
}

@test "usage: unknown option, missing argument, bad --parallel" {
	run --separate-stderr bssh --x -H 127.0.0.1 true
	assert_status 255
	[ "$stderr" = "bssh: --x: unknown option (try --help)" ]
	run --separate-stderr bssh -H
	assert_status 255
	[ "$stderr" = "bssh: -H: missing argument" ]
	run --separate-stderr bssh --parallel 0 -H 127.0.0.1 true
	assert_status 255
	[[ $stderr == "bssh: --parallel "* ]]
	run --separate-stderr bssh --parallel 100001 -H 127.0.0.1 true
	assert_status 255
	run --separate-stderr bssh --parallel many -H 127.0.0.1 true
	assert_status 255
	run --separate-stderr bssh --timeout soon -H 127.0.0.1 true
	assert_status 255
	[[ $stderr == "bssh: --timeout "* ]]
}

@test "--help and -V: on stdout, exit 0" {
	run --separate-stderr bssh --help
	assert_success
	[[ $output == "usage: bssh [options] -H hosts [--] command ..."* ]]
	run --separate-stderr bssh -V
	assert_success
	[[ $output == "bssh "* ]]
}

@test "options end at the first operand: a command word starting with - is the command's" {
	run --separate-stderr bssh "${CLIENT_OPTS[@]}" -N -H 127.0.0.1 echo -x --stream
	assert_success
	[ "$output" = "-x --stream" ]
}

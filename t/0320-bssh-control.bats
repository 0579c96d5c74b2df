#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2154,SC2012
# bssh time limits and stopping, against a real OpenSSH sshd: --timeout,
# --connect-timeout, the driver's own backstop, fail-fast, Ctrl+C / SIGTERM /
# SIGHUP, a closed standard output, the --parallel limit, and a run of 10000
# queued nodes.  Time bounds are generous upper limits only.

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




# wait_count CMDLINE N [S]: wait (bounded) until N processes run CMDLINE.
wait_count() {
	local i
	for ((i = 0; i < ${3:-10} * 20; i++)); do
		[[ $(pgrep -xfc -- "$1") -ge $2 ]] && return 0
		sleep 0.05
	done
	echo "only $(pgrep -xfc -- "$1") of $2 running: $1" >&2
	return 1
}

# wait_lines FILE PATTERN N [S]: wait (bounded) until FILE has N lines
# matching the fixed string PATTERN.
wait_lines() {
	local i
	for ((i = 0; i < ${4:-10} * 100; i++)); do
		[[ $(grep -cF -- "$2" "$1" 2>/dev/null) -ge $3 ]] && return 0
		sleep 0.01
	done
	echo "fewer than $3 lines '$2' in $1:" >&2
	cat "$1" >&2
	return 1
}

# wait_exit PID S: wait for PID, failing if it is still running after S
# seconds; sets status and elapsed.
wait_exit() {
	local i start=$SECONDS
	for ((i = 0; i < $2 * 20; i++)); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.05
	done
	elapsed=$((SECONDS - start))
	if kill -0 "$1" 2>/dev/null; then
		echo "still running after $2 s" >&2
		return 1
	fi
	status=0
	wait "$1" || status=$?
}

# ---------------------------------------------------------------- time limits

@test "--timeout 1: the node fails with 255 in time, the remote command is gone" {
	start=$SECONDS
	bssh_files "${CLIENT_OPTS[@]}" --timeout 1 -H '127.0.0.[1-2]' -- "$ADDR"' [ "$n" = 2 ] && exit 0; sleep 4300'
	assert_status 255
	((SECONDS - start < 15))
	grep -qxF "bssh: 127.0.0.1: command timed out after 1 s" "$BSSH_TMP/err"
	grep -qxF "bssh: 1 of 2 nodes failed: 127.0.0.1" "$BSSH_TMP/err"
	wait_gone "sleep 4300"
	# the same as files and as JSON
	bssh_files "${CLIENT_OPTS[@]}" --timeout 1 --output-dir "$BSSH_TMP/o" -H 127.0.0.1 -- 'sleep 4300'
	assert_status 255
	[ "$(cat "$BSSH_TMP/o/127.0.0.1.exit")" = 255 ]
	[ "$(cat "$BSSH_TMP/o/127.0.0.1.error")" = "command timed out after 1 s" ]
	bssh_files "${CLIENT_OPTS[@]}" --timeout 1 --json -H 127.0.0.1 -- 'sleep 4300'
	assert_status 255
	grep -qF '"kind":"timeout","message":"command timed out after 1 s"' "$BSSH_TMP/out"
	wait_gone "sleep 4300"
}

@test "--connect-timeout 1 against a server that never speaks: 255 in time, other nodes unaffected" {
	start_sink
	start=$SECONDS
	bssh_files "${CLIENT_OPTS[@]}" --connect-timeout 1 --any-failure \
		-H "127.0.0.1,127.0.0.1:$sinkport,127.0.0.2" -- "$ADDR"' echo "hi from $a"'
	assert_status 255
	((SECONDS - start < 15))
	diff <(printf '=== 127.0.0.%s ===\nhi from 127.0.0.%s\n' 1 1 2 2) "$BSSH_TMP/out"
	grep -qi "^bssh: 127.0.0.1:$sinkport: .*timeout" "$BSSH_TMP/err"
	grep -qxF "bssh: 1 of 3 nodes failed: 127.0.0.1:$sinkport" "$BSSH_TMP/err"
	# the error kind is timeout
	bssh_files "${CLIENT_OPTS[@]}" --connect-timeout 1 --json -H "127.0.0.1:$sinkport" -- true
	assert_status 255
	grep -qF "\"kind\":\"timeout\"" "$BSSH_TMP/out"
}

@test "a worker that never finishes is stopped by the driver after timeout + connect-timeout + 10 s" {
	# --connect-timeout 0 is no limit: the worker hangs in the handshake
	# with the sink; bssh kills it after 1 + 0 + 10 s.
	start_sink
	start=$SECONDS
	bssh_files "${CLIENT_OPTS[@]}" --connect-timeout 0 --timeout 1 \
		-H "127.0.0.1:$sinkport,127.0.0.2" -- "$ADDR"' echo "hi from $a"'
	((SECONDS - start < 40))
	assert_failure
	diff <(printf '=== 127.0.0.2 ===\nhi from 127.0.0.2\n') "$BSSH_TMP/out"
	grep -qxF "bssh: 127.0.0.1:$sinkport: no result within 11 s: killed" "$BSSH_TMP/err"
}

# ---------------------------------------------------------------- fail-fast

# Node 2 fails as soon as node 1's remote sleep runs (bounded wait); every
# other node sleeps.
FAILFAST_CMD=$ADDR' if [ "$n" = 2 ]; then
	i=0; while [ $i -lt 200 ] && ! pgrep -xf "sleep 4301" >/dev/null; do sleep 0.05; i=$((i + 1)); done
	exit 1
fi
sleep 4301'

@test "fail-fast -k: the first failure stops running nodes and skips queued ones" {
	start=$SECONDS
	bssh_files "${CLIENT_OPTS[@]}" -k --parallel 2 -H '127.0.0.[1-10]' -- "$FAILFAST_CMD"
	((SECONDS - start < 15))
	# main rank (node 1) was stopped: its worker forwarded TERM and exited 143
	assert_status 143
	grep -qxF "bssh: fail-fast: 127.0.0.2 failed (exit status 1); stopping" "$BSSH_TMP/err"
	grep -qxF "bssh: 127.0.0.1: stopped (fail-fast)" "$BSSH_TMP/err"
	grep -qxF "bssh: 127.0.0.2: exit status 1" "$BSSH_TMP/err"
	for i in 3 4 5 6 7 8 9 10; do
		grep -qxF "bssh: 127.0.0.$i: not run (fail-fast)" "$BSSH_TMP/err"
	done
	grep -qxF "bssh: 8 nodes never ran: 127.0.0.[3-10]" "$BSSH_TMP/err"
	grep -qxF "bssh: 10 of 10 nodes failed: 127.0.0.[1-10]" "$BSSH_TMP/err"
	[ ! -s "$BSSH_TMP/out" ]
	wait_gone "sleep 4301"
}

@test "fail-fast -k: exit status per strategy" {
	bssh_files "${CLIENT_OPTS[@]}" -k --parallel 2 --require-all-success -H '127.0.0.[1-10]' -- "$FAILFAST_CMD"
	assert_status 1
	wait_gone "sleep 4301"
	bssh_files "${CLIENT_OPTS[@]}" -k --parallel 2 --check-all-nodes -H '127.0.0.[1-10]' -- "$FAILFAST_CMD"
	assert_status 143
	wait_gone "sleep 4301"
	# nodes that never ran count as 255
	bssh_files "${CLIENT_OPTS[@]}" -k --parallel 2 --any-failure -H '127.0.0.[1-10]' -- "$FAILFAST_CMD"
	assert_status 255
	wait_gone "sleep 4301"
}

@test "fail-fast -k with --output-dir and --json: never-ran nodes get an .error file / a skipped event" {
	bssh_files "${CLIENT_OPTS[@]}" -k --parallel 2 --output-dir "$BSSH_TMP/o" -H '127.0.0.[1-4]' -- "$FAILFAST_CMD"
	assert_status 143
	[ "$(cat "$BSSH_TMP/o/127.0.0.2.exit")" = 1 ]
	[ "$(cat "$BSSH_TMP/o/127.0.0.1.exit")" = 143 ]
	for i in 3 4; do
		files=("$BSSH_TMP/o/127.0.0.$i."*)
		[ "${#files[@]}" = 1 ]
		[ "$(cat "$BSSH_TMP/o/127.0.0.$i.error")" = "not run (fail-fast)" ]
	done
	wait_gone "sleep 4301"
	bssh_files "${CLIENT_OPTS[@]}" -k --parallel 2 --json -H '127.0.0.[1-4]' -- "$FAILFAST_CMD"
	assert_status 143
	grep -qxF '{"node":"127.0.0.3","event":"skipped"}' "$BSSH_TMP/out"
	grep -qxF '{"node":"127.0.0.4","event":"skipped"}' "$BSSH_TMP/out"
	[ "$(tail -n 1 "$BSSH_TMP/out")" = '{"event":"summary","nodes":4,"succeeded":0,"failed":4,"exit":143}' ]
	wait_gone "sleep 4301"
}

# Regression: the pool once started queued jobs before freeing the slots
# of ended workers, and hung with nodes queued when all slots freed at once.
@test "--parallel 1 runs every node, one after the other" {
	bssh "${CLIENT_OPTS[@]}" --parallel 1 -N -H '127.0.0.[1-4]' -- "$ADDR"' echo "$a"' \
		>"$BSSH_TMP/out" 2>"$BSSH_TMP/err" &
	pid=$!
	wait_exit "$pid" 30
	assert_status 0
	diff <(seq -f '127.0.0.%g' 1 4) "$BSSH_TMP/out"
}

# Regression (same pool bug): quick failures ending together.
@test "quick failures with a queue: every node is run (--parallel 2, 12 refused nodes)" {
	bssh -p 1 --parallel 2 -H '127.0.0.[1-12]' ping >"$BSSH_TMP/out" 2>"$BSSH_TMP/err" &
	pid=$!
	wait_exit "$pid" 30
	assert_status 255
	[ "$(wc -l <"$BSSH_TMP/out")" = 12 ]
}

@test "without -k a failure stops nothing" {
	bssh_files "${CLIENT_OPTS[@]}" --parallel 2 -H '127.0.0.[1-4]' -- "$ADDR"' [ "$n" = 2 ] && exit 1; echo "ran $n"'
	assert_status 0
	diff <(printf '=== 127.0.0.%s ===\nran %s\n' 1 1 3 3 4 4) "$BSSH_TMP/out"
}

# ---------------------------------------------------------------- signals

@test "Ctrl+C once shows progress and goes on; twice within 1 s stops every node: 130" {
	bssh "${CLIENT_OPTS[@]}" --parallel 3 -H '127.0.0.[1-5]' -- 'sleep 4302' \
		>"$BSSH_TMP/out" 2>"$BSSH_TMP/err" &
	pid=$!
	wait_count "sleep 4302" 3
	local msg="bssh: 3 running, 0 done, 2 queued; press Ctrl+C again within 1 s to stop"
	kill -INT "$pid"
	wait_lines "$BSSH_TMP/err" "$msg" 1
	# it goes on: still there, with its 3 remote commands, past the 1 s window
	for ((i = 0; i < 30; i++)); do
		kill -0 "$pid"
		sleep 0.05
	done
	[ "$(pgrep -xfc "sleep 4302")" = 3 ]
	run -1 grep -qF "interrupted" "$BSSH_TMP/err"
	# two within 1 s (the second as soon as the first one is seen)
	kill -INT "$pid"
	wait_lines "$BSSH_TMP/err" "$msg" 2
	kill -INT "$pid"
	wait_exit "$pid" 15
	assert_status 130
	grep -qxF "bssh: interrupted: stopping every node" "$BSSH_TMP/err"
	for i in 1 2 3; do
		grep -qxF "bssh: 127.0.0.$i: stopped" "$BSSH_TMP/err"
	done
	grep -qxF "bssh: 127.0.0.4: not run (interrupted)" "$BSSH_TMP/err"
	grep -qxF "bssh: 2 nodes never ran: 127.0.0.[4-5]" "$BSSH_TMP/err"
	wait_gone "sleep 4302"
}

@test "-b: the first Ctrl+C stops: 130" {
	bssh "${CLIENT_OPTS[@]}" -b -H '127.0.0.[1-5]' -- 'sleep 4302' >"$BSSH_TMP/out" 2>"$BSSH_TMP/err" &
	pid=$!
	wait_count "sleep 4302" 5
	kill -INT "$pid"
	wait_exit "$pid" 15
	assert_status 130
	grep -qxF "bssh: interrupted: stopping every node" "$BSSH_TMP/err"
	run -1 grep -qF "press Ctrl+C again" "$BSSH_TMP/err"
	wait_gone "sleep 4302"
}

@test "SIGTERM stops every node: 143; SIGHUP: 129" {
	bssh "${CLIENT_OPTS[@]}" -H '127.0.0.[1-5]' -- 'sleep 4302' >"$BSSH_TMP/out" 2>"$BSSH_TMP/err" &
	pid=$!
	wait_count "sleep 4302" 5
	kill -TERM "$pid"
	wait_exit "$pid" 15
	assert_status 143
	grep -qxF "bssh: 127.0.0.5: stopped" "$BSSH_TMP/err"
	wait_gone "sleep 4302"

	bssh "${CLIENT_OPTS[@]}" -H '127.0.0.[1-5]' -- 'sleep 4302' >"$BSSH_TMP/out" 2>"$BSSH_TMP/err" &
	pid=$!
	wait_count "sleep 4302" 5
	kill -HUP "$pid"
	wait_exit "$pid" 15
	assert_status 129
	wait_gone "sleep 4302"
}

@test "a closed standard output stops every node: 141, quickly, no remote command left" {
	start=$SECONDS
	run --separate-stderr bash -c 'bssh "$@" -H "127.0.0.[1-3]" -- "seq 1 1000000" | head -n 1
		echo "rc=${PIPESTATUS[0]}"' _ "${CLIENT_OPTS[@]}"
	((SECONDS - start < 15))
	[ "$output" = "$(printf '=== 127.0.0.1 ===\nrc=141')" ]
	# a remote command that would run for minutes
	start=$SECONDS
	run --separate-stderr bash -c 'bssh "$@" -H "127.0.0.[1-3]" -- "seq 1 1000000000" | head -n 1
		echo "rc=${PIPESTATUS[0]}"' _ "${CLIENT_OPTS[@]}"
	((SECONDS - start < 15))
	[ "$output" = "$(printf '=== 127.0.0.1 ===\nrc=141')" ]
	# no end-of-run report
	[[ $stderr != *"nodes failed"* ]]
	wait_gone "seq 1 1000000000"
	# the same in the other output modes
	for mode in --stream --json -N; do
		start=$SECONDS
		run --separate-stderr bash -c 'bssh "$@" -- "seq 1 1000000000" | head -n 1 >/dev/null
			echo "rc=${PIPESTATUS[0]}"' _ "${CLIENT_OPTS[@]}" "$mode" -H "127.0.0.[1-3]"
		((SECONDS - start < 15))
		[ "$output" = "rc=141" ]
		wait_gone "seq 1 1000000000"
	done
}

# ---------------------------------------------------------------- parallel

@test "--parallel 3 on 9 nodes: at most 3 workers and 3 remote commands at a time" {
	# Each node runs "sleep 1.TAG" (TAG unique to this run).  While bssh
	# runs, the test polls every 20 ms how many bssh-exec workers bssh has
	# (its children) and how many of the remote sleeps exist on this
	# machine (pgrep -x sees every user's processes).  A node's remote
	# sleep has exited before its worker exits, and bssh starts the next
	# worker only after reaping one, so neither count may exceed 3.
	tag=$((RANDOM % 9000 + 1000))
	bssh "${CLIENT_OPTS[@]}" --parallel 3 -H '127.0.0.[1-9]' -- "sleep 1.$tag" >"$BSSH_TMP/out" 2>"$BSSH_TMP/err" &
	pid=$!
	maxw=0 maxr=0
	for ((i = 0; i < 1500; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		w=$(pgrep -c -P "$pid" || true)
		r=$(pgrep -xfc "sleep 1.$tag" || true)
		((w > maxw)) && maxw=$w
		((r > maxr)) && maxr=$r
		sleep 0.02
	done
	wait_exit "$pid" 60
	assert_status 0
	echo "# max workers $maxw, max remote commands $maxr" >&3
	[ "$maxw" = 3 ]
	((maxr >= 1 && maxr <= 3))
}

# ---------------------------------------------------------------- scale

@test "10000 queued nodes: every one is run and reported, in node order" {
	# Port 1 is closed: every node fails at once with "connection refused".
	# About 15 s on a 2-CPU machine, a few minutes under the sanitizers;
	# the timeout only stops a hang (it would show as status 124).
	start=$SECONDS
	run --separate-stderr timeout -k 10 900 bssh --parallel 64 -p 1 -H '127.1.[0-39].[1-250]' ping
	echo "# 10000 nodes in $((SECONDS - start)) s" >&3
	assert_status 255
	[ "${#lines[@]}" = 10000 ]
	[ "${lines[0]}" = "127.1.0.1: failed: connect to 127.1.0.1 port 1: Connection refused" ]
	[ "${lines[9999]}" = "127.1.39.250: failed: connect to 127.1.39.250 port 1: Connection refused" ]
	diff <(for x in $(seq 0 39); do seq -f "127.1.$x.%g" 1 250; done) <(printf '%s\n' "${lines[@]}" | cut -d: -f1)
	[ "$(printf '%s\n' "${lines[@]}" | grep -c ': failed: connect to .* port 1: Connection refused$')" = 10000 ]
}

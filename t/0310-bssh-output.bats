#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2154,SC2012
# bssh output modes against a real OpenSSH sshd: normal blocks (headers,
# "[node] " stderr prefixes, held output of later nodes), -N byte for byte,
# --stream lines, --output-dir files, --json events, colour, and bounded
# driver memory with 100 MB of output.

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

# ... and node 1 waits 2 s before anything else, so that the output of the
# later nodes is held by bssh until node 1 is done.
SLOW1=$ADDR' [ "$n" = 1 ] && sleep 2;'


# ---------------------------------------------------------------- normal

@test "normal: stdout under '=== node ===' headers, stderr prefixed '[node] ', both in node order" {
	bssh_files "${CLIENT_OPTS[@]}" -H '127.0.0.[1-4]' -- \
		"$SLOW1"' echo "out-$n"; echo "err-$n" >&2; echo "out2-$n"; echo "err2-$n" >&2'
	assert_status 0
	diff <(for i in 1 2 3 4; do printf '=== 127.0.0.%s ===\nout-%s\nout2-%s\n' $i $i $i; done) "$BSSH_TMP/out"
	diff <(for i in 1 2 3 4; do printf '[127.0.0.%s] err-%s\n[127.0.0.%s] err2-%s\n' $i $i $i $i; done) "$BSSH_TMP/err"
}

@test "normal: a node without stdout has no header; stderr-only output has no header either" {
	bssh_files "${CLIENT_OPTS[@]}" -H '127.0.0.[1-3]' -- "$ADDR"' [ "$n" = 2 ] && { echo only-err >&2; exit 0; }; echo "out-$n"'
	assert_status 0
	diff <(printf '=== 127.0.0.%s ===\nout-%s\n' 1 1 3 3) "$BSSH_TMP/out"
	diff <(echo "[127.0.0.2] only-err") "$BSSH_TMP/err"
}

@test "normal: output without a final newline gets one before the next header (live and held nodes)" {
	for slow in "$ADDR" "$SLOW1"; do
		bssh_files "${CLIENT_OPTS[@]}" -H '127.0.0.[1-3]' -- "$slow"' printf "a-$n\nb-$n"; printf "e-$n" >&2'
		assert_status 0
		diff <(printf '=== 127.0.0.%s ===\na-%s\nb-%s\n' 1 1 1 2 2 2 3 3 3) "$BSSH_TMP/out"
		diff <(printf '[127.0.0.%s] e-%s\n' 1 1 2 2 3 3) "$BSSH_TMP/err"
	done
}

@test "normal: a stderr line split across reads gets one prefix" {
	bssh_files "${CLIENT_OPTS[@]}" -H '127.0.0.[1-2]' -- \
		"$SLOW1"' printf "par" >&2; sleep 0.3; printf "tial-$n\nnext" >&2; sleep 0.3; printf "%s\n" "-$n" >&2'
	assert_status 0
	diff <(printf '[127.0.0.%s] partial-%s\n[127.0.0.%s] next-%s\n' 1 1 1 1 2 2 2 2) "$BSSH_TMP/err"
	[ ! -s "$BSSH_TMP/out" ]
}

@test "normal: a failure line follows the node's block, in node order" {
	bssh_files "${CLIENT_OPTS[@]}" -H '127.0.0.[1-3]' -- "$SLOW1"' echo "e-$n" >&2; [ "$n" = 2 ] && exit 5; exit 0'
	assert_status 0
	diff <(printf '%s\n' "[127.0.0.1] e-1" "[127.0.0.2] e-2" "bssh: 127.0.0.2: exit status 5" \
		"[127.0.0.3] e-3" "bssh: 1 of 3 nodes failed: 127.0.0.2") "$BSSH_TMP/err"
}

@test "-N: the raw concatenation of every node's bytes, in node order, nothing added" {
	# different binary data per node; node 1 is slow, so the others are held
	bssh_files "${CLIENT_OPTS[@]}" -N -H '127.0.0.[1-5]' -- \
		"$SLOW1"' seq "$n" 50000 | gzip -n -1; printf "\\377\\000$n" >&2'
	assert_status 0
	for i in 1 2 3 4 5; do seq "$i" 50000 | gzip -n -1; done >"$BSSH_TMP/want"
	for i in 1 2 3 4 5; do printf '\377\000%s' "$i"; done >"$BSSH_TMP/want.err"
	cmp "$BSSH_TMP/want" "$BSSH_TMP/out"
	cmp "$BSSH_TMP/want.err" "$BSSH_TMP/err"
	# text without final newlines stays glued together
	run --separate-stderr bssh "${CLIENT_OPTS[@]}" -N -H '127.0.0.[1-3]' -- "$ADDR"' printf "x$n"'
	assert_success
	[ "$output" = "x1x2x3" ]
}

# ---------------------------------------------------------------- stream

@test "--stream: complete '[node] line' lines, never two nodes in one line, every line once" {
	# Each of 10 nodes prints 2000 stdout lines "ADDR-NNNN" and 200 stderr
	# lines "ADDR-5NNN" in bursts of 500 (seq writes 4 KiB blocks, so lines
	# are cut across reads) with small pseudo-random pauses.
	bssh_files "${CLIENT_OPTS[@]}" --stream -H '127.0.0.[1-10]' -- "$ADDR"'
		for b in 0 1 2 3; do
			seq -f "$a-%04g" $((b * 500 + 1)) $((b * 500 + 500))
			seq -f "$a-%04g" $((5001 + b * 50)) $((5050 + b * 50)) >&2
			sleep 0.$(((n * 7 + b * 3) % 10))
		done'
	assert_status 0
	bad=$(grep -cvE '^\[127\.0\.0\.([0-9]+)\] 127\.0\.0\.\1-[0-9]{4}$' "$BSSH_TMP/out" || true)
	[ "$bad" = 0 ]
	bad=$(grep -cvE '^\[127\.0\.0\.([0-9]+)\] 127\.0\.0\.\1-5[0-9]{3}$' "$BSSH_TMP/err" || true)
	[ "$bad" = 0 ]
	[ "$(wc -l <"$BSSH_TMP/out")" = 20000 ]
	[ "$(wc -l <"$BSSH_TMP/err")" = 2000 ]
	for i in $(seq 1 10); do
		diff <(seq -f "[127.0.0.$i] 127.0.0.$i-%04g" 1 2000) <(grep -F "[127.0.0.$i] " "$BSSH_TMP/out")
		diff <(seq -f "[127.0.0.$i] 127.0.0.$i-%04g" 5001 5200) <(grep -F "[127.0.0.$i] " "$BSSH_TMP/err")
	done
}

@test "--stream: a last line without newline is printed as a line; failures as in normal output" {
	bssh_files "${CLIENT_OPTS[@]}" --stream -H '127.0.0.[1-2]' -- "$ADDR"' printf "a-$n\nlast-$n"; printf "e-$n" >&2; exit $n'
	assert_status 1
	diff <(printf '[127.0.0.%s] a-%s\n[127.0.0.%s] last-%s\n' 1 1 1 1 | sort) <(grep -F '[127.0.0.1]' "$BSSH_TMP/out" | sort)
	diff <(printf '[127.0.0.%s] a-%s\n[127.0.0.%s] last-%s\n' 2 2 2 2 | sort) <(grep -F '[127.0.0.2]' "$BSSH_TMP/out" | sort)
	[ "$(wc -l <"$BSSH_TMP/out")" = 4 ]
	grep -qxF "[127.0.0.1] e-1" "$BSSH_TMP/err"
	grep -qxF "[127.0.0.2] e-2" "$BSSH_TMP/err"
	grep -qxF "bssh: 127.0.0.1: exit status 1" "$BSSH_TMP/err"
	grep -qxF "bssh: 127.0.0.2: exit status 2" "$BSSH_TMP/err"
}

@test "--stream -N: bare lines" {
	bssh_files "${CLIENT_OPTS[@]}" --stream -N -H '127.0.0.[1-3]' -- "$ADDR"' printf "a-$n\nb-$n"; echo "e-$n" >&2'
	assert_status 0
	diff <(printf 'a-%s\nb-%s\n' 1 1 2 2 3 3 | sort) <(sort "$BSSH_TMP/out")
	diff <(printf 'e-%s\n' 1 2 3) <(sort "$BSSH_TMP/err")
}

@test "--stream: a line longer than 65536 bytes is cut into pieces of 65536" {
	bssh_files "${CLIENT_OPTS[@]}" --stream -N -H 127.0.0.1 -- 'head -c 70000 /dev/zero | tr "\0" x; echo; echo end'
	assert_status 0
	run awk '{ print length($0) }' "$BSSH_TMP/out"
	[ "$output" = "$(printf '65536\n4464\n3')" ]
}

# Regression: lib/output.c stream_data() used to print an extra empty
# "[node] " line when the newline after a full 65536-byte buffer came in a
# later read.  bssh(1): only lines *longer* than 65536 bytes are cut.
@test "--stream: a line of exactly 65536 bytes whose newline comes in a later read is one line" {
	bssh_files "${CLIENT_OPTS[@]}" --stream -H 127.0.0.1 -- 'head -c 65536 /dev/zero | tr "\0" x; sleep 0.5; echo; echo end'
	assert_status 0
	run awk '{ print length($0) }' "$BSSH_TMP/out"
	[ "$output" = "$(printf '65548\n15')" ]
}

# ---------------------------------------------------------------- output dir

@test "--output-dir: .stdout, .stderr, .exit hold each node's bytes and status; nothing on stdout" {
	bssh_files "${CLIENT_OPTS[@]}" --output-dir "$BSSH_TMP/new/sub/dir" -H '127.0.0.[1-4]' -- \
		"$ADDR"' seq "$n" 30000 | gzip -n -1; printf "err\\000$n" >&2; exit $((n - 1))'
	assert_status 0
	[ ! -s "$BSSH_TMP/out" ]
	for i in 1 2 3 4; do
		cmp <(seq "$i" 30000 | gzip -n -1) "$BSSH_TMP/new/sub/dir/127.0.0.$i.stdout"
		cmp <(printf 'err\000%s' "$i") "$BSSH_TMP/new/sub/dir/127.0.0.$i.stderr"
		[ "$(cat "$BSSH_TMP/new/sub/dir/127.0.0.$i.exit")" = $((i - 1)) ]
		[ ! -e "$BSSH_TMP/new/sub/dir/127.0.0.$i.error" ]
	done
	[ "$(ls "$BSSH_TMP/new/sub/dir" | wc -l)" = 12 ]
	grep -qxF "bssh: 127.0.0.3: exit status 2" "$BSSH_TMP/err"
	grep -qxF "bssh: 3 of 4 nodes failed: 127.0.0.[2-4]" "$BSSH_TMP/err"
}

@test "--output-dir: a node that failed to connect gets .error; one host on two ports, two sets of files" {
	bssh_files "${CLIENT_OPTS[@]}" --output-dir "$BSSH_TMP/o" -H '127.0.0.1,127.0.0.1:1' -- 'echo hello'
	assert_status 0
	[ "$(cat "$BSSH_TMP/o/127.0.0.1.stdout")" = hello ]
	[ "$(cat "$BSSH_TMP/o/127.0.0.1.exit")" = 0 ]
	[ ! -e "$BSSH_TMP/o/127.0.0.1.error" ]
	[ "$(cat "$BSSH_TMP/o/127.0.0.1:1.error")" = "connect to 127.0.0.1 port 1: Connection refused" ]
	[ "$(cat "$BSSH_TMP/o/127.0.0.1:1.exit")" = 255 ]
	[ ! -s "$BSSH_TMP/o/127.0.0.1:1.stdout" ]
	grep -qxF "bssh: 127.0.0.1:1: connect to 127.0.0.1 port 1: Connection refused" "$BSSH_TMP/err"
}

@test "--output-dir: existing files are truncated, symbolic links are not followed" {
	mkdir "$BSSH_TMP/o"
	head -c 10000 /dev/zero >"$BSSH_TMP/o/127.0.0.1.stdout"
	echo precious >"$BSSH_TMP/target"
	ln -s "$BSSH_TMP/target" "$BSSH_TMP/o/127.0.0.2.stdout"
	bssh_files "${CLIENT_OPTS[@]}" --output-dir "$BSSH_TMP/o" -H '127.0.0.[1-2]' -- 'echo short'
	[ "$(cat "$BSSH_TMP/o/127.0.0.1.stdout")" = short ]
	[ "$(cat "$BSSH_TMP/target")" = precious ]
	[ -L "$BSSH_TMP/o/127.0.0.2.stdout" ]
	grep -q "^bssh: 127.0.0.2: create $BSSH_TMP/o/127.0.0.2.stdout" "$BSSH_TMP/err"
}

@test "--output-dir: an existing file of that name is an error, 255" {
	: >"$BSSH_TMP/file"
	run --separate-stderr bssh "${CLIENT_OPTS[@]}" --output-dir "$BSSH_TMP/file" -H 127.0.0.1 -- 'echo x'
	assert_status 255
	[ "$stderr" = "bssh: output directory $BSSH_TMP/file: not a directory" ]
	[ -z "$output" ]
}

@test "output mode precedence: --output-dir over --json over --stream" {
	run --separate-stderr bssh "${CLIENT_OPTS[@]}" --stream --json -H 127.0.0.1 -- 'echo x'
	assert_success
	[[ ${lines[0]} == '{"node":"127.0.0.1","event":"start"}' ]]
	run --separate-stderr bssh "${CLIENT_OPTS[@]}" --json --output-dir "$BSSH_TMP/o" --stream -H 127.0.0.1 -- 'echo x'
	assert_success
	[ -z "$output" ]
	[ "$(cat "$BSSH_TMP/o/127.0.0.1.stdout")" = x ]
}

# ---------------------------------------------------------------- JSON

@test "--json: one JSON object per line, per-node events, base64 for binary, a final summary" {
	bssh_files "${CLIENT_OPTS[@]}" --json -H '127.0.0.[1-3],127.0.0.4:1' -- \
		"$ADDR"' printf "text-$n\n"; [ "$n" = 2 ] && printf "\\377\\000\\001bin"; echo "e-$n" >&2; exit $((n - 1))'
	assert_status 0
	python3 - "$BSSH_TMP/out" <<'EOF'
import base64, json, sys
raw = open(sys.argv[1], "rb").read()
assert raw.endswith(b"\n"), "last line without newline"
evs = [json.loads(l) for l in raw.decode("ascii").split("\n")[:-1]]
summ = evs.pop()
assert summ == {"event": "summary", "nodes": 4, "succeeded": 1, "failed": 3, "exit": 0}, summ
nodes = ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4:1"]
by = {n: [] for n in nodes}
for e in evs:
    assert set(e) >= {"node", "event"}, e
    assert e["event"] not in ("hello", "summary"), e
    by[e["node"]].append(e)
for i, n in enumerate(nodes[:3], 1):
    names = [e["event"] for e in by[n]]
    assert names[0] == "start" and names[-1] == "exit", (n, names)
    assert "connected" in names and "authenticated" in names, (n, names)
    conn = [e for e in by[n] if e["event"] == "connected"][0]
    assert conn["address"] == n, conn
    auth = [e for e in by[n] if e["event"] == "authenticated"][0]
    assert auth["method"] == "publickey", auth
    assert by[n][-1]["code"] == i - 1, by[n][-1]
    assert "error" not in names, names
    out = b"".join(base64.b64decode(e["data_base64"]) if "data_base64" in e
                   else e["data"].encode() for e in by[n] if e["event"] == "stdout")
    want = ("text-%d\n" % i).encode() + (b"\xff\x00\x01bin" if i == 2 else b"")
    assert out == want, (n, out, want)
    if i == 2:
        assert any("data_base64" in e for e in by[n] if e["event"] == "stdout")
    else:
        assert all("data" in e and "data_base64" not in e for e in by[n] if e["event"] == "stdout")
    err = "".join(e["data"] for e in by[n] if e["event"] == "stderr")
    assert err == "e-%d\n" % i, (n, err)
bad = by["127.0.0.4:1"]
assert [e["event"] for e in bad] == ["start", "error", "exit"], bad
assert bad[1]["kind"] == "connect", bad[1]
assert bad[1]["message"] == "connect to 127.0.0.4 port 1: Connection refused", bad[1]
assert bad[2]["code"] == 255, bad[2]
EOF
	# bssh's own end-of-run report is not printed with --json
	[ ! -s "$BSSH_TMP/err" ]
}

@test "--json: the summary's exit is the status bssh exits with" {
	bssh_files "${CLIENT_OPTS[@]}" --json --any-failure -H '127.0.0.[1-3]' -- "$ADDR"' exit $((n * 2))'
	assert_status 6
	[ "$(tail -n 1 "$BSSH_TMP/out")" = '{"event":"summary","nodes":3,"succeeded":0,"failed":3,"exit":6}' ]
}

# ---------------------------------------------------------------- colour

@test "colour: none when stdout is not a terminal" {
	TERM=xterm NO_COLOR='' bssh "${CLIENT_OPTS[@]}" -H '127.0.0.1,127.0.0.1:1' -- 'echo hi; echo e >&2' \
		>"$BSSH_TMP/out" 2>"$BSSH_TMP/err" || true
	TERM=xterm NO_COLOR='' bssh "${CLIENT_OPTS[@]}" --stream -H '127.0.0.1' -- 'echo hi' \
		>>"$BSSH_TMP/out" 2>>"$BSSH_TMP/err"
	grep -qF '=== 127.0.0.1 ===' "$BSSH_TMP/out"
	run -1 grep -q $'\033' "$BSSH_TMP/out" "$BSSH_TMP/err"
}

@test "colour: headers, stream prefixes and failure lines on a terminal; NO_COLOR and TERM=dumb turn it off" {
	command -v script >/dev/null || skip "script(1) is not installed: no way to get a terminal"
	local cmd
	cmd=$(printf '%q ' bssh "${CLIENT_OPTS[@]}" -H '127.0.0.1,127.0.0.1:1' -- 'echo hi')
	TERM=xterm NO_COLOR='' script -qec "$cmd" /dev/null >"$BSSH_TMP/tty" 2>&1 </dev/null || true
	grep -qF $'\033[1;36m=== 127.0.0.1 ===\033[0m' "$BSSH_TMP/tty"
	grep -qF $'\033[31mbssh: 127.0.0.1:1: connect to 127.0.0.1 port 1: Connection refused\033[0m' "$BSSH_TMP/tty"
	cmd=$(printf '%q ' bssh "${CLIENT_OPTS[@]}" --stream -H '127.0.0.1' -- 'echo hi')
	TERM=xterm NO_COLOR='' script -qec "$cmd" /dev/null >"$BSSH_TMP/tty2" 2>&1 </dev/null
	grep -qF $'\033[36m[127.0.0.1]\033[0m hi' "$BSSH_TMP/tty2"
	cmd=$(printf '%q ' bssh "${CLIENT_OPTS[@]}" -H '127.0.0.1,127.0.0.1:1' -- 'echo hi')
	TERM=xterm NO_COLOR=1 script -qec "$cmd" /dev/null >"$BSSH_TMP/tty3" 2>&1 </dev/null || true
	grep -qF '=== 127.0.0.1 ===' "$BSSH_TMP/tty3"
	run -1 grep -q $'\033' "$BSSH_TMP/tty3"
	TERM=dumb NO_COLOR='' script -qec "$cmd" /dev/null >"$BSSH_TMP/tty4" 2>&1 </dev/null || true
	grep -qF '=== 127.0.0.1 ===' "$BSSH_TMP/tty4"
	run -1 grep -q $'\033' "$BSSH_TMP/tty4"
}

# ---------------------------------------------------------------- memory

# check_stream FILE PREFIX NZERO SUFFIX: read FILE (a FIFO) to its end and
# check it is PREFIX, NZERO zero bytes, then SUFFIX; prints "ok" or why not.
check_stream() {
	python3 -c '
import sys
f = open(sys.argv[1], "rb")
pre, nz, suf = sys.argv[2].encode(), int(sys.argv[3]), sys.argv[4].encode()
head = f.read(len(pre))
if head != pre:
    print("prefix", head); sys.exit(0)
total = zeros = 0
tail = b""
while True:
    b = f.read(1 << 20)
    if not b:
        break
    total += len(b)
    zeros += b.count(0)
    tail = (tail + b)[-64:]
if total != nz + len(suf) or zeros != nz or not tail.endswith(suf):
    print("body", total, zeros, tail[-8:]); sys.exit(0)
print("ok")
' "$@"
}

# peak_rss_kb PID: wait until PID runs bssh, then poll its VmHWM every 50 ms
# while it lives (bounded: 3 minutes); prints the highest value in KiB.
peak_rss_kb() {
	local pid=$1 peak=0 v i
	for ((i = 0; i < 200; i++)); do
		[[ $(readlink "/proc/$pid/exe" 2>/dev/null) == */bssh ]] && break
		sleep 0.01
	done
	for ((i = 0; i < 3600; i++)); do
		v=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) || break
		[[ -n $v ]] || break
		((v > peak)) && peak=$v
		sleep 0.05
	done
	echo "$peak"
}

@test "100 MB from one node through the driver with bounded memory (-N)" {
	mkfifo "$BSSH_TMP/fifo"
	check_stream "$BSSH_TMP/fifo" "" 100000000 "" >"$BSSH_TMP/check" &
	checker=$!
	bssh "${CLIENT_OPTS[@]}" -N -H 127.0.0.1 -- 'head -c 100000000 /dev/zero' >"$BSSH_TMP/fifo" &
	pid=$!
	peak=$(peak_rss_kb "$pid")
	status=0
	wait "$pid" || status=$?
	wait "$checker"
	assert_status 0
	[ "$(cat "$BSSH_TMP/check")" = ok ]
	echo "# peak RSS ${peak} KiB" >&3
	((peak > 0 && peak < 16384))
}

@test "100 MB held behind a slow node: spilled, correct, bounded memory" {
	mkfifo "$BSSH_TMP/fifo"
	check_stream "$BSSH_TMP/fifo" $'=== 127.0.0.1 ===\none\n=== 127.0.0.2 ===\n' 100000000 $'\n' \
		>"$BSSH_TMP/check" &
	checker=$!
	# node 1 sleeps 3 s, node 2 writes 100 MB at once: node 2's output is
	# held by bssh (spilled to TMPDIR) until node 1 is done
	TMPDIR=$BSSH_TMP bssh "${CLIENT_OPTS[@]}" -H '127.0.0.[1-2]' -- "$ADDR"'
		if [ "$n" = 1 ]; then sleep 3; echo one; else head -c 100000000 /dev/zero; fi' \
		>"$BSSH_TMP/fifo" 2>"$BSSH_TMP/err" &
	pid=$!
	peak=$(peak_rss_kb "$pid")
	status=0
	wait "$pid" || status=$?
	wait "$checker"
	assert_status 0
	[ "$(cat "$BSSH_TMP/check")" = ok ]
	[ ! -s "$BSSH_TMP/err" ]
	echo "# peak RSS ${peak} KiB" >&3
	((peak > 0 && peak < 16384))
}

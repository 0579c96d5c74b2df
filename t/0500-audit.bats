#!/usr/bin/env bats
# bssh-audit: events kept as received in a 0600 file, bad and over-long
# lines dropped with warnings, size rotation with gzip (every event in
# exactly one file, in order), backups past N deleted, --no-gzip, batches
# and the flush interval, EOF and SIGTERM flushing everything read, SIGHUP
# reopening after an external mv, refused outputs (111), --file -, usage
# errors (100).  No timing assertion: every wait is bounded and only waits.

# shellcheck disable=SC2154 # $stderr comes from bats' run --separate-stderr

bats_require_minimum_version 1.5.0

load lib/common

usage='bssh-audit: usage: bssh-audit --file PATH [--max-size BYTES] [--backups N] [--no-gzip] [--flush-interval MS] [--batch N] [-v]'

setup() {
	bssh_setup
	out=$BSSH_TMP/audit.log
	apid=
}

teardown() {
	exec 4>&- 2>/dev/null || true
	if [[ -n $apid ]] && kill -0 "$apid" 2>/dev/null; then
		kill -KILL "$apid" 2>/dev/null || true
	fi
}

# events N [FIRST]: N numbered audit events, one per line.
events() {
	local i first=${2:-1}
	for ((i = first; i < first + $1; i++)); do
		printf '{"id":%d,"event_type":"file_write","user":"alice","bytes":%d}\n' "$i" "$((i * 7))"
	done
}

# wait_until CMD...: run CMD until it succeeds, at most 20 s.
wait_until() {
	local i
	for ((i = 0; i < 400; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	echo "gave up waiting for: $*" >&2
	return 1
}

# has_lines FILE N: FILE exists with at least N lines.
has_lines() {
	[[ -f $1 ]] && (($(wc -l <"$1") >= $2))
}

# fifo_empty FIFO: no byte waits in the pipe (FIONREAD is 0), so the
# reader has read everything written so far.
fifo_empty() {
	local py=/usr/bin/python3
	[[ -x $py ]] || py=python3
	"$py" - "$1" <<'EOF'
import fcntl, os, struct, sys, termios
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
n = struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]
sys.exit(0 if n == 0 else 1)
EOF
}

# start_audit ARGS...: bssh-audit in the background reading a FIFO that
# this shell holds open for writing on fd 4; $apid is its pid.  Returns
# once the output file exists (the signal handlers are set by then).
start_audit() {
	mkfifo "$BSSH_TMP/fifo"
	bssh-audit "$@" <"$BSSH_TMP/fifo" >"$BSSH_TMP/stdout" 2>"$BSSH_TMP/stderr" 3>&- &
	apid=$!
	exec 4>"$BSSH_TMP/fifo"
	wait_until test -e "$out"
}

# stop_audit: close the FIFO, wait for the exit; its status in $status.
stop_audit() {
	exec 4>&-
	status=0
	wait "$apid" || status=$?
	apid=
}

# unrotated: the backups from the oldest to the newest, then PATH, as text.
unrotated() {
	local i=1
	while [[ -e $out.$i.gz || -e $out.$i ]]; do
		((i++))
	done
	for ((i--; i >= 1; i--)); do
		if [[ -e $out.$i.gz ]]; then
			zcat -- "$out.$i.gz"
		else
			cat -- "$out.$i"
		fi
	done
	cat -- "$out"
}

@test "events are written as received, one per line, in a new file of mode 0600" {
	printf '{ "a" : 1,  "b":[1, 2] }\n{"c":"d"}\n{"e":99999999999999999999999}\n' >"$BSSH_TMP/in"
	run --separate-stderr bash -c 'umask 000 && bssh-audit --file "$1" <"$2"' _ "$out" "$BSSH_TMP/in"
	assert_success
	[ "$stderr" = '' ]
	cmp "$BSSH_TMP/in" "$out"
	[ "$(stat -c %a "$out")" = 600 ]
}

@test "an existing file is appended to and keeps its mode" {
	printf '{"old":1}\n' >"$out"
	chmod 640 "$out"
	run bssh-audit --file "$out" <<<'{"new":2}'
	assert_success
	[ "$(cat "$out")" = "$(printf '{"old":1}\n{"new":2}')" ]
	[ "$(stat -c %a "$out")" = 640 ]
}

@test "lines that are not JSON objects are dropped with a warning, the rest kept" {
	printf '{"n":1}\nnot json\n[1,2]\n"str"\n42\nnull\n{"n":2}\n{"n":3} x\n{"n":4}\n' >"$BSSH_TMP/in"
	run --separate-stderr bssh-audit --file "$out" -v <"$BSSH_TMP/in"
	assert_success
	[ "$(cat "$out")" = "$(printf '{"n":1}\n{"n":2}\n{"n":4}')" ]
	[ "${#stderr_lines[@]}" -eq 7 ]
	[[ ${stderr_lines[0]} == "bssh-audit: line 2: not a JSON object: "* ]]
	[ "${stderr_lines[1]}" = 'bssh-audit: line 3: not a JSON object: an array' ]
	[ "${stderr_lines[2]}" = 'bssh-audit: line 4: not a JSON object: a string' ]
	[ "${stderr_lines[3]}" = 'bssh-audit: line 5: not a JSON object: a number' ]
	[ "${stderr_lines[4]}" = 'bssh-audit: line 6: not a JSON object: true, false or null' ]
	[[ ${stderr_lines[5]} == "bssh-audit: line 8: not a JSON object: "* ]]
	[ "${stderr_lines[6]}" = 'bssh-audit: 3 events written, 6 dropped' ]
}

@test "blank lines are ignored; a last line without LF gets one" {
	printf '\n{"n":1}\n   \n\t\r\n{"n":2}' | bssh-audit --file "$out"
	[ "$(od -c "$out" | head -n 1)" = "$(printf '{"n":1}\n{"n":2}\n' | od -c | head -n 1)" ]
	[ "$(wc -l <"$out")" -eq 2 ]
}

@test "a line over 4096 bytes is dropped with a warning; reading goes on after its LF" {
	local pad4096 big
	pad4096=$(head -c 4088 /dev/zero | tr '\0' x)	# {"p":"..."} is 4096 bytes
	big=$(head -c 1000000 /dev/zero | tr '\0' y)
	{
		echo '{"n":1}'
		printf '{"p":"%s"}\n' "$pad4096"
		printf '{"p":"%sz"}\n' "$pad4096"
		echo '{"n":2}'
		printf '{"big":"%s"}\n' "$big"
		echo '{"n":3}'
	} >"$BSSH_TMP/in"
	run --separate-stderr bssh-audit --file "$out" <"$BSSH_TMP/in"
	assert_success
	[ "$(sed -n 1p "$out")" = '{"n":1}' ]
	[ "$(sed -n 2p "$out" | wc -c)" -eq 4097 ]
	[ "$(sed -n 3,4p "$out")" = "$(printf '{"n":2}\n{"n":3}')" ]
	[ "$(wc -l <"$out")" -eq 4 ]
	[ "${stderr_lines[0]}" = 'bssh-audit: line 3: too long (over 4096 bytes), dropped' ]
	[ "${stderr_lines[1]}" = 'bssh-audit: line 5: too long (over 4096 bytes), dropped' ]
	[ "${#stderr_lines[@]}" -eq 2 ]
}

@test "rotation: 1000 events through a small max-size, each in exactly one file, in order" {
	events 1000 >"$BSSH_TMP/in"
	run bssh-audit --file "$out" --max-size 2k --backups 100 <"$BSSH_TMP/in"
	assert_success
	[ -e "$out.1.gz" ]
	[ -e "$out.20.gz" ]
	[ ! -e "$out.1" ]
	unrotated >"$BSSH_TMP/back"
	cmp "$BSSH_TMP/in" "$BSSH_TMP/back"
	for f in "$out".*.gz; do
		gzip -t "$f"
		[ "$(stat -c %a "$f")" = 600 ]
		(($(zcat "$f" | wc -c) <= 2048))
	done
	(($(wc -c <"$out") <= 2048))
}

@test "backups beyond --backups are deleted; the newest are kept in order" {
	events 1000 >"$BSSH_TMP/in"
	run bssh-audit --file "$out" --max-size 1k --backups 3 <"$BSSH_TMP/in"
	assert_success
	[ "$(ls "$out"* | wc -l)" -eq 4 ]
	[ -e "$out.3.gz" ]
	[ ! -e "$out.4.gz" ]
	unrotated >"$BSSH_TMP/back"
	# what is left is the end of the input, whole lines
	n=$(wc -l <"$BSSH_TMP/back")
	tail -n "$n" "$BSSH_TMP/in" | cmp - "$BSSH_TMP/back"
	# a second run goes on rotating the same set
	run bssh-audit --file "$out" --max-size 1k --backups 3 < <(events 100 1001)
	assert_success
	[ "$(ls "$out"* | wc -l)" -eq 4 ]
	unrotated | tail -n 1 | grep -q '"id":1100,'
}

@test "--no-gzip keeps plain backups PATH.1 .. PATH.N" {
	events 300 >"$BSSH_TMP/in"
	run bssh-audit --file "$out" --max-size 1K --backups 2 --no-gzip <"$BSSH_TMP/in"
	assert_success
	[ -e "$out.1" ] && [ -e "$out.2" ] && [ ! -e "$out.3" ]
	[ -z "$(find "$BSSH_TMP" -name '*.gz')" ]
	[ "$(cat "$out.2" "$out.1" "$out")" = "$(tail -n "$(cat "$out.2" "$out.1" "$out" | wc -l)" "$BSSH_TMP/in")" ]
}

@test "--backups 0 keeps only the current file" {
	events 300 >"$BSSH_TMP/in"
	run bssh-audit --file "$out" --max-size 1k --backups 0 <"$BSSH_TMP/in"
	assert_success
	[ "$(ls "$out"* | wc -l)" -eq 1 ]
	tail -n "$(wc -l <"$out")" "$BSSH_TMP/in" | cmp - "$out"
}

@test "an event bigger than --max-size gets a file of its own" {
	events 3 | bssh-audit --file "$out" --max-size 10 --backups 5
	[ "$(zcat "$out.2.gz")" = "$(events 1)" ]
	[ "$(zcat "$out.1.gz")" = "$(events 1 2)" ]
	[ "$(cat "$out")" = "$(events 1 3)" ]
}

@test "a full batch is written while the input stays open" {
	start_audit --file "$out" --batch 10 --flush-interval 600000
	events 25 >&4
	wait_until has_lines "$out" 20
	[ "$(wc -l <"$out")" -eq 20 ]
	stop_audit
	assert_success
	events 25 | cmp - "$out"
}

@test "the flush interval writes a partial batch while the input stays open" {
	start_audit --file "$out" --flush-interval 50
	events 3 >&4
	wait_until has_lines "$out" 3
	stop_audit
	assert_success
	events 3 | cmp - "$out"
}

@test "EOF flushes everything" {
	events 10 | bssh-audit --file "$out" --flush-interval 600000 --batch 10000
	events 10 | cmp - "$out"
}

@test "SIGTERM in the middle of a stream loses nothing that was read" {
	start_audit --file "$out" --flush-interval 600000 --batch 10000 -v
	events 50 >&4
	wait_until fifo_empty "$BSSH_TMP/fifo"
	[ ! -s "$out" ]		# nothing flushed yet
	kill -TERM "$apid"
	status=0
	wait "$apid" || status=$?
	apid=
	assert_success
	events 50 | cmp - "$out"
	[ "$(cat "$BSSH_TMP/stderr")" = 'bssh-audit: 50 events written, 0 dropped' ]
}

@test "SIGINT flushes too, and takes what already waits in the pipe" {
	start_audit --file "$out" --flush-interval 600000 --batch 10000
	events 50 >&4
	printf '{"last":true}' >&4	# no LF yet: the last line at the stop
	kill -INT "$apid"
	status=0
	wait "$apid" || status=$?
	apid=
	assert_success
	[ "$(cat "$out")" = "$(events 50; echo '{"last":true}')" ]
}

@test "SIGHUP flushes and reopens PATH after an external mv" {
	start_audit --file "$out" --flush-interval 600000 --batch 10000
	events 5 >&4
	wait_until fifo_empty "$BSSH_TMP/fifo"
	mv "$out" "$out.old"
	kill -HUP "$apid"
	wait_until test -e "$out"
	events 5 6 >&4
	stop_audit
	assert_success
	events 5 | cmp - "$out.old"
	events 5 6 | cmp - "$out"
	[ "$(stat -c %a "$out")" = 600 ]
}

@test "a symbolic link at PATH is refused with 111" {
	ln -s "$BSSH_TMP/target" "$out"
	run bssh-audit --file "$out" <<<'{"n":1}'
	assert_status 111
	assert_output_equals "bssh-audit: open $out: is a symbolic link, refused"
	[ ! -e "$BSSH_TMP/target" ]
	ln -sf /dev/null "$out"
	run bssh-audit --file "$out" </dev/null
	assert_status 111
}

@test "something else than a regular file at PATH is refused with 111" {
	mkfifo "$BSSH_TMP/p"
	run bssh-audit --file "$BSSH_TMP/p" </dev/null
	assert_status 111
	assert_output_equals "bssh-audit: open $BSSH_TMP/p: not a regular file"
	run bssh-audit --file "$BSSH_TMP" </dev/null
	assert_status 111
	assert_output_equals "bssh-audit: open $BSSH_TMP: not a regular file"
}

@test "an output that cannot be opened gives 111" {
	touch "$BSSH_TMP/plain"
	run bssh-audit --file "$BSSH_TMP/plain/audit.log" <<<'{"n":1}'
	assert_status 111
	assert_output_equals "bssh-audit: open $BSSH_TMP/plain/audit.log: Not a directory"
	# an unwritable directory (root ignores the mode: then only the above)
	mkdir "$BSSH_TMP/ro"
	chmod 555 "$BSSH_TMP/ro"
	if ! touch "$BSSH_TMP/ro/probe" 2>/dev/null; then
		run bssh-audit --file "$BSSH_TMP/ro/audit.log" <<<'{"n":1}'
		assert_status 111
		assert_output_equals "bssh-audit: open $BSSH_TMP/ro/audit.log: Permission denied"
	fi
	chmod 755 "$BSSH_TMP/ro"
}

@test "a write that fails gives 111" {
	[ -w /dev/full ] || skip "no /dev/full"
	run bash -c 'echo "{\"n\":1}" | bssh-audit --file - >/dev/full'
	assert_status 111
	assert_output_equals "bssh-audit: write stdout: No space left on device"
}

@test "--file - writes to stdout, without rotation" {
	events 100 >"$BSSH_TMP/in"
	run --separate-stderr bssh-audit --file - --max-size 10 <"$BSSH_TMP/in"
	assert_success
	[ "$output" = "$(cat "$BSSH_TMP/in")" ]
	[ "$(ls "$BSSH_TMP")" = in ]
}

@test "usage errors exit 100 with the usage line" {
	run bssh-audit
	assert_status 100
	[ "${lines[0]}" = 'bssh-audit: --file PATH is required' ]
	[ "${lines[1]}" = "$usage" ]
	run bssh-audit --file "$out" --no-such-option
	assert_status 100
	[ "${lines[0]}" = 'bssh-audit: unknown option --no-such-option' ]
	run bssh-audit --file
	assert_status 100
	[ "${lines[0]}" = 'bssh-audit: option --file needs an argument' ]
	run bssh-audit --file "$out" extra
	assert_status 100
	for bad in '--max-size 10Q' '--max-size -1' '--max-size 1kk' '--backups -1' \
	    '--backups 1001' '--batch 0' '--batch x' '--flush-interval -5'; do
		# shellcheck disable=SC2086
		run bssh-audit --file "$out" $bad
		assert_status 100
		[ "${lines[1]}" = "$usage" ]
	done
	run bssh-audit --file "$out" --max-size 10Q
	[ "${lines[0]}" = 'bssh-audit: --max-size: "10Q": not a size (digits and k, M or G)' ]
	[ ! -e "$out" ]
}

@test "--max-size takes k, M and G suffixes" {
	for s in 1 1k 1K 5M 5m 1G 1g 0; do
		run bssh-audit --file "$out" --max-size "$s" </dev/null
		assert_success
	done
}

@test "--help and --version" {
	run bssh-audit --help
	assert_success
	[ "${lines[0]}" = "usage: ${usage#bssh-audit: usage: }" ]
	run bssh-audit -V
	assert_success
	[[ $output == 'bssh-audit '[0-9]* ]]
}

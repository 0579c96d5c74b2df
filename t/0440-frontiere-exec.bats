#!/usr/bin/env bats
# frontiere-dispatch, black box: running the child (spec §8 streaming, §10),
# decision 5, and the ports of the Python scenarios TMO-001..010,
# OUT-001..014, INJ-001..014 and PRO-001..014 (spec §15.3).

load lib/common
load lib/frontiere

setup() {
	fr_setup
	# a sleep duration no other process uses, to find our sleeps again
	FR_MARK=$((900000 + RANDOM))
}

teardown() {
	# kill, by pid, only the sleeps of this test that survived a failure
	local p
	for p in $(pgrep -f "sleep $FR_MARK\$" 2>/dev/null); do
		kill -9 "$p" 2>/dev/null || true
	done
}

# --- helpers -----------------------------------------------------------------

# exec_config [EXTRA GLOBAL LINES]
exec_config() {
	fr_config <<EOF
[global]
log_file = "$FR_LOG"
expose_session_id = true
mask_sensitive = true
${1:-}

[domains.x]
description = "Exec tests"

[domains.x.actions.code]
description = "Exit with a code"
level = "read"
execute = "$FR_STUBS/c-exit.sh {code}"

[domains.x.actions.code.args]
code = { free = true }

[domains.x.actions.signal]
description = "Kill itself"
level = "read"
execute = "$FR_STUBS/c-signal.sh {sig}"

[domains.x.actions.signal.args]
sig = { type = "enum", values = ["SEGV", "TERM"] }

[domains.x.actions.order]
description = "Alternate stdout and stderr"
level = "read"
execute = "$FR_STUBS/c-order.sh"

[domains.x.actions.partial]
description = "Last line without LF"
level = "read"
execute = "$FR_STUBS/c-partial.sh"

[domains.x.actions.cr]
description = "CR characters"
level = "read"
execute = "$FR_STUBS/c-cr.sh"

[domains.x.actions.badutf8]
description = "Not UTF-8"
level = "read"
execute = "$FR_STUBS/c-badutf8.sh"

[domains.x.actions.lines]
description = "N lines then a code"
level = "read"
execute = "$FR_STUBS/c-lines.sh {n} {code}"

[domains.x.actions.lines.args]
n = { free = true }
code = { free = true, default = "0" }

[domains.x.actions.xs]
description = "One long line"
level = "read"
execute = "$FR_STUBS/c-xs.sh {n}"

[domains.x.actions.xs.args]
n = { free = true }

[domains.x.actions.seq]
description = "seq"
level = "read"
execute = "/usr/bin/seq {n}"

[domains.x.actions.seq.args]
n = { free = true }

[domains.x.actions.fail]
description = "stderr and exit 1"
level = "read"
execute = "$FR_STUBS/c-fail.sh"

[domains.x.actions.silent]
description = "No output"
level = "read"
execute = "/bin/true"

[domains.x.actions.slow]
description = "Sleep, 1 s timeout"
level = "read"
timeout = 1
execute = "/bin/sleep {secs}"

[domains.x.actions.slow.args]
secs = { free = true }

[domains.x.actions.deflt]
description = "Sleep, default timeout"
level = "read"
execute = "/bin/sleep {secs}"

[domains.x.actions.deflt.args]
secs = { free = true }

[domains.x.actions.zero]
description = "Sleep, timeout 0"
level = "read"
timeout = 0
execute = "/bin/sleep {secs}"

[domains.x.actions.zero.args]
secs = { free = true }

[domains.x.actions.stubborn]
description = "Ignore SIGTERM"
level = "read"
timeout = 1
execute = "$FR_STUBS/c-stubborn.sh {secs}"

[domains.x.actions.stubborn.args]
secs = { free = true }

[domains.x.actions.forker]
description = "Fork sleeps"
level = "read"
timeout = 1
execute = "$FR_STUBS/c-forker.sh {secs}"

[domains.x.actions.forker.args]
secs = { free = true }

[domains.x.actions.yes]
description = "Endless stdout"
level = "read"
timeout = 2
execute = "/usr/bin/yes"

[domains.x.actions.errflood]
description = "Endless stderr"
level = "read"
timeout = 2
execute = "$FR_STUBS/c-errflood.sh"

[domains.x.actions.missing]
description = "No such file"
level = "read"
execute = "/nonexistent/c-missing.sh"

[domains.x.actions.noexec]
description = "Mode 644"
level = "read"
execute = "$FR_STUBS/c-noexec.sh"

[domains.x.actions.argv]
description = "Show argv"
level = "read"
execute = "$FR_STUBS/c-args.sh {msg}"

[domains.x.actions.argv.args]
msg = { free = true }

[domains.x.actions.say]
description = "echo"
level = "read"
execute = "/bin/echo {msg}"

[domains.x.actions.say.args]
msg = { free = true }

[domains.x.actions.blank]
description = "Blank execute"
level = "read"
execute = "   "

[domains.x.actions.empty]
description = "Empty execute"
level = "read"
execute = ""

[domains.x.actions.rel]
description = "Relative program"
level = "read"
execute = "echo rel"

[domains.x.actions.inpath]
description = "Only in the caller's PATH"
level = "read"
execute = "c-only-in-caller-path"

[domains.x.actions.env]
description = "Environment"
level = "read"
execute = "/usr/bin/env"

[domains.x.actions.pgid]
description = "Process group"
level = "read"
execute = "$FR_STUBS/c-pgid.sh"

[domains.x.actions.fds]
description = "Open fds"
level = "read"
execute = "/bin/ls /proc/self/fd"

[domains.x.actions.fdkind]
description = "What fds 0-2 are"
level = "read"
execute = "$FR_STUBS/c-fdkind.sh"

[domains.x.actions.cat]
description = "Copy stdin"
level = "read"
execute = "$FR_STUBS/c-stdin.sh"

[domains.x.actions.ops]
description = "Ops only"
level = "ops"
execute = "/bin/echo ops"

[domains.x.actions.secret]
description = "Sensitive argument"
level = "read"
execute = "/bin/echo done"

[domains.x.actions.secret.args]
password = { free = true, sensitive = true }

[domains.x.actions.defaults]
description = "Defaults"
level = "read"
execute = "/bin/echo deploy {env} {verbose}"

[domains.x.actions.defaults.args]
env = { type = "enum", values = ["staging", "prod"], default = "staging" }
verbose = { type = "enum", values = ["true", "false"], default = "false" }
EOF
}

# go [ARGS...] <<EOF: run at read level with the test config, under a
# 20 s guard; stdout in $output, stderr in $BSSH_TMP/stderr (not through
# fr_run: bats `run' merges its command's stderr into $output)
go() {
	run timeout 20 env -i PATH="$PATH" ${FR_ENV:-} /bin/sh -c \
		'e=$1; shift; exec frontiere-dispatch "$@" 2>"$e"' sh "$BSSH_TMP/stderr" \
		--level=read --config="$FR_CONF" "$@"
}

resp() {
	fr_responses | sed -n "$(($1 + 1))p"
}

nresp() {
	printf '%s\n' "$output" | grep -c '^>>> ' || true
}

after_banner() {
	printf '%s\n' "$output" | sed '1,/^#> type "help" for available commands$/d'
}

# stream: the >> and >>! lines
stream() {
	printf '%s\n' "$output" | grep -a '^>>' | grep -av '^>>> ' || true
}

json() {
	printf '{"command":"%s","status_code":%s,"status_message":"%s","stdout":null,"stderr":null}' \
		"$1" "${3:-128}" "$2"
}

expect_eq() {
	if [[ $1 != "$2" ]]; then
		printf 'expected: <%s>\nactual:   <%s>\n' "$2" "$1" >&2
		_bssh_diag "mismatch"
		return 1
	fi
}

expect_text() {
	if [[ $1 != "$2" ]]; then
		diff <(printf '%s\n' "$2") <(printf '%s\n' "$1") >&2 || true
		_bssh_diag "text mismatch (diff expected -> actual above)"
		return 1
	fi
}

# expect_prefix STRING PREFIX
expect_prefix() {
	if [[ $1 != "$2"* ]]; then
		printf 'expected prefix: <%s>\nactual: <%s>\n' "$2" "$1" >&2
		_bssh_diag "prefix mismatch"
		return 1
	fi
}

# sleeps_gone: true once no "sleep $FR_MARK" is left (bounded: 5 s)
sleeps_gone() {
	local i
	for i in $(seq 50); do
		pgrep -f "sleep $FR_MARK\$" >/dev/null || return 0
		sleep 0.1
	done
	ps -eo pid,pgid,args | grep "sleep $FR_MARK" >&2
	return 1
}

# --- §8 streaming -------------------------------------------------------------------

@test "[OUT-004] stdout and stderr lines arrive as >> and >>! in their order" {
	exec_config
	go <<'EOF'
x order
.
EOF
	assert_success
	expected='>> out-1
>>! err-1
>> out-2
>>! err-2
>>> {"command":"x order","status_code":0,"status_message":"executed","stdout":null,"stderr":null}'
	expect_text "$(after_banner)" "$expected"
}

@test "a last line without a newline is still sent" {
	exec_config
	go <<'EOF'
x partial
.
EOF
	assert_success
	expect_text "$(stream)" $'>> first\n>> no newline at end'
}

@test "CR is not stripped from streamed lines" {
	exec_config
	go <<'EOF'
x cr
.
EOF
	assert_success
	expect_text "$(stream)" $'>> crlf\r\n>> mid\rdle'
}

@test "past max_stream_bytes: one notice, later lines dropped, the child's own code" {
	exec_config "max_stream_bytes = 100"
	go <<'EOF'
x lines n=30 code=3
.
EOF
	assert_status 3
	expected=">> line-10
>> line-11
>> line-12
>> line-13
>> line-14
>> line-15
>> line-16
>> line-17
>> line-18
>> line-19
>> line-20
>> line-21
>>! ssh-frontiere: output truncated (max 0MB exceeded)"
	expect_text "$(stream)" "$expected"
	expect_eq "$(resp 0)" "$(json 'x lines n=30 code=3' executed 3)"
}

@test "output reaching exactly max_stream_bytes is not truncated" {
	exec_config "max_stream_bytes = 96"
	go <<'EOF'
x lines n=12
.
EOF
	assert_success
	expect_eq "$(stream | grep -c '^>> line-')" 12
	assert_output_not_contains "output truncated"
}

@test "max_stream_bytes counts stdout and stderr together" {
	exec_config "max_stream_bytes = 15"
	go <<'EOF'
x order
.
EOF
	assert_success
	expect_text "$(stream)" $'>> out-1\n>>! err-1\n>>! ssh-frontiere: output truncated (max 0MB exceeded)'
}

@test "the truncation notice gives the limit in whole MB" {
	exec_config "max_stream_bytes = 2097152"
	rc=0
	timeout 20 env -i PATH="$PATH" frontiere-dispatch --level=read --config="$FR_CONF" \
		>"$BSSH_TMP/out" 2>"$BSSH_TMP/stderr" <<'EOF' || rc=$?
x seq n=400000
.
EOF
	expect_eq "$rc" 0
	expect_eq "$(grep -c '^>>! ssh-frontiere: output truncated (max 2MB exceeded)$' "$BSSH_TMP/out")" 1
	want=$(seq 400000 | awk '{ t += length($0) + 1; if (t > 2097152) { print NR - 1; exit } }')
	expect_eq "$(grep -c '^>> ' "$BSSH_TMP/out")" "$want"
	expect_eq "$(tail -n 1 "$BSSH_TMP/out")" ">>> $(json 'x seq n=400000' executed 0)"
}

@test "[TMO-004] decision 5: a yes flood is cut by max_stream_bytes and by the timeout" {
	exec_config "max_stream_bytes = 1024"
	go <<'EOF'
x yes
.
EOF
	assert_status 130
	# 512 lines "y" make exactly 1024 bytes; the 513th is the first too many
	expect_eq "$(printf '%s\n' "$output" | grep -c '^>> y$')" 512
	expect_text "$(printf '%s\n' "$output" | tail -n 3)" '>>! ssh-frontiere: output truncated (max 0MB exceeded)
>>! ssh-frontiere: command timed out
>>> {"command":"x yes","status_code":130,"status_message":"timeout after 2s: x yes","stdout":null,"stderr":null}'
}

@test "decision 5: an endless stderr is capped and timed out the same way" {
	exec_config "max_stream_bytes = 1024"
	go <<'EOF'
x errflood
.
EOF
	assert_status 130
	expect_eq "$(printf '%s\n' "$output" | grep -c '^>>! err$')" 256
	expect_text "$(printf '%s\n' "$output" | tail -n 3)" '>>! ssh-frontiere: output truncated (max 0MB exceeded)
>>! ssh-frontiere: command timed out
>>> {"command":"x errflood","status_code":130,"status_message":"timeout after 2s: x errflood","stdout":null,"stderr":null}'
}

@test "decision 5: a line over 65536 bytes comes as several >> lines of at most 65536" {
	exec_config
	go <<'EOF'
x xs n=70000
.
EOF
	assert_success
	printf '%s\n' "$output" | grep '^>> ' | cut -c4- >"$BSSH_TMP/chunks"
	n=$(wc -l <"$BSSH_TMP/chunks")
	[[ $n -ge 2 ]] || { _bssh_diag "only $n chunk(s)"; false; }
	longest=$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$BSSH_TMP/chunks")
	[[ $longest -le 65536 ]] || { _bssh_diag "a chunk of $longest bytes"; false; }
	expect_eq "$(tr -d '\n' <"$BSSH_TMP/chunks" | tr -d x | wc -c)" 0
	expect_eq "$(tr -d '\n' <"$BSSH_TMP/chunks" | wc -c)" 70000
	expect_eq "$(resp 0)" "$(json 'x xs n=70000' executed 0)"
}

@test "decision 5: bytes that are not UTF-8 are forwarded and reading goes on" {
	exec_config
	go <<'EOF'
x badutf8
.
EOF
	assert_success
	expect_text "$(stream)" $'>> \377\376\n>> after'
	expect_eq "$(resp 0)" "$(json 'x badutf8' executed 0)"
}

# --- exit codes ---------------------------------------------------------------------

@test "the child's exit code is the status code and the process exit code" {
	exec_config
	for c in 0 7 200; do
		go <<EOF
x code code=$c
.
EOF
		assert_status "$c"
		expect_eq "$(resp 0)" "$(json "x code code=$c" executed "$c")"
		assert_output_contains ">> exiting with $c"
	done
}

@test "[TMO-006] a child killed by SIGSEGV gives 139, executed" {
	exec_config
	go <<'EOF'
x signal sig=SEGV
.
EOF
	assert_status 139
	assert_output_not_contains "still alive"
	expect_eq "$(resp 0)" "$(json 'x signal sig=SEGV' executed 139)"
}

@test "a child killed by SIGTERM gives 143, executed" {
	exec_config
	go <<'EOF'
x signal sig=TERM
.
EOF
	assert_status 143
	expect_eq "$(resp 0)" "$(json 'x signal sig=TERM' executed 143)"
}

# --- §10.4 timeouts ---------------------------------------------------------------

@test "[TMO-001] a timeout is 130, command '<domain> <action>', notice right before" {
	exec_config
	go <<EOF
x slow secs=$FR_MARK
.
EOF
	assert_status 130
	expect_text "$(after_banner)" ">>! ssh-frontiere: command timed out
>>> $(json 'x slow' 'timeout after 1s: x slow' 130)"
	sleeps_gone
}

@test "[TMO-002] default_timeout applies to actions without a timeout" {
	exec_config "default_timeout = 1"
	go <<EOF
x deflt secs=$FR_MARK
.
EOF
	assert_status 130
	expect_eq "$(resp 0)" "$(json 'x deflt' 'timeout after 1s: x deflt' 130)"
	sleeps_gone
}

@test "[TMO-003] a session with timeout_session = 2 runs its commands normally" {
	exec_config "timeout_session = 2"
	go <<'EOF'
+ session keepalive
x say msg=one
.
x say msg=two
.
.
EOF
	assert_success
	expect_eq "$(nresp)" 2
	assert_output_contains ">> one"
	assert_output_contains ">> two"
	assert_output_contains "#> session closed"
}

@test "[TMO-005] a child ignoring SIGTERM is killed after the grace period, 130" {
	exec_config
	go <<EOF
x stubborn secs=$FR_MARK
.
EOF
	assert_status 130
	expect_text "$(after_banner)" ">> stubborn
>>! ssh-frontiere: command timed out
>>> $(json 'x stubborn' 'timeout after 1s: x stubborn' 130)"
	sleeps_gone
}

@test "[TMO-009] forked grandchildren are killed with the process group" {
	exec_config
	go <<EOF
x forker secs=$FR_MARK
.
EOF
	assert_status 130
	assert_output_contains ">> forked"
	expect_eq "$(resp 0)" "$(json 'x forker' 'timeout after 1s: x forker' 130)"
	sleeps_gone
}

@test "[TMO-010] timeout = 0 times out at once" {
	exec_config
	go <<EOF
x zero secs=$FR_MARK
.
EOF
	assert_status 130
	expect_eq "$(resp 0)" "$(json 'x zero' 'timeout after 0s: x zero' 130)"
	sleeps_gone
}

# --- §10.1 spawn ----------------------------------------------------------------------

@test "[TMO-007] a missing executable is 128 failed to spawn" {
	exec_config
	go <<'EOF'
x missing
.
EOF
	assert_status 128
	expect_eq "$(nresp)" 1
	expect_eq "$(stream)" ""
	expect_prefix "$(fr_json 0 status_message)" "execution error: failed to spawn: "
	expect_eq "$(fr_json 0 command)" "x missing"
}

@test "[TMO-008] a non-executable file is 128 failed to spawn" {
	exec_config
	[[ ! -x $FR_STUBS/c-noexec.sh ]]
	go <<'EOF'
x noexec
.
EOF
	assert_status 128
	assert_output_not_contains "should-not-run"
	expect_prefix "$(fr_json 0 status_message)" "execution error: failed to spawn: "
}

@test "a NUL in an argument is 128 failed to spawn, never a truncated argv" {
	exec_config
	printf 'x argv msg="a\000b"\n.\n' >"$BSSH_TMP/in"
	go <"$BSSH_TMP/in"
	assert_status 128
	assert_output_not_contains ">> [a"
	expect_prefix "$(fr_json 0 status_message)" "execution error: failed to spawn: "
}

@test "a blank or empty execute is 128 execution error: empty command" {
	exec_config
	go <<'EOF'
x blank
.
EOF
	assert_status 128
	expect_eq "$(resp 0)" "$(json 'x blank' 'execution error: empty command')"
	go <<'EOF'
x empty
.
EOF
	assert_status 128
	expect_eq "$(resp 0)" "$(json 'x empty' 'execution error: empty command')"
}

@test "a program name without '/' is looked up in the fixed PATH" {
	exec_config
	go <<'EOF'
x rel
.
EOF
	assert_success
	expect_eq "$(stream)" ">> rel"
}

@test "the caller's PATH is not used to find the program" {
	exec_config
	mkdir -p "$BSSH_TMP/bin"
	printf '#!/bin/sh\necho should-not-run\n' >"$BSSH_TMP/bin/c-only-in-caller-path"
	chmod 755 "$BSSH_TMP/bin/c-only-in-caller-path"
	PATH=$BSSH_TMP/bin:$PATH go <<'EOF'
x inpath
.
EOF
	assert_status 128
	assert_output_not_contains "should-not-run"
	expect_prefix "$(fr_json 0 status_message)" "execution error: failed to spawn: "
}

# --- §10.2 environment and process state -----------------------------------------------

@test "the child's environment is exactly PATH and SSH_FRONTIERE_SESSION" {
	exec_config
	FR_ENV="FOO=leak HOME=/tmp LANG=C.UTF-8 SSH_CLIENT=192.0.2.9"
	go <<'EOF'
x env
.
EOF
	assert_success
	uuid=$(printf '%s\n' "$output" | sed -n 's/^+> session //p')
	[[ $uuid =~ ^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$ ]] ||
		{ _bssh_diag "session id: $uuid"; false; }
	expect_text "$(stream | sort)" ">> PATH=/usr/local/bin:/usr/bin:/bin
>> SSH_FRONTIERE_SESSION=$uuid"
}

@test "the child leads a new process group" {
	exec_config
	go <<'EOF'
x pgid
.
EOF
	assert_success
	pid=$(printf '%s\n' "$output" | sed -n 's/^>> pid=//p')
	pgid=$(printf '%s\n' "$output" | sed -n 's/^>> pgid=//p')
	[[ -n $pid && $pid == "$pgid" ]] || { _bssh_diag "pid=$pid pgid=$pgid"; false; }
}

@test "the child inherits only fds 0, 1 and 2" {
	exec_config
	go <<'EOF'
x fds
.
EOF
	assert_success
	# fd 3 is the directory ls itself opened to list /proc/self/fd
	expect_text "$(stream)" $'>> 0\n>> 1\n>> 2\n>> 3'
}

@test "without a body stdin is /dev/null; stdout and stderr are two pipes" {
	exec_config
	go <<'EOF'
x fdkind
.
EOF
	assert_success
	expect_eq "$(printf '%s\n' "$output" | sed -n 's/^>> 0=//p')" /dev/null
	out=$(printf '%s\n' "$output" | sed -n 's/^>> 1=//p')
	err=$(printf '%s\n' "$output" | sed -n 's/^>> 2=//p')
	[[ $out == pipe:* && $err == pipe:* && $out != "$err" ]] ||
		{ _bssh_diag "fd1=$out fd2=$err"; false; }
}

@test "a child reading stdin without a body gets EOF at once" {
	exec_config
	go <<'EOF'
x cat
.
EOF
	assert_success
	expect_eq "$(stream)" ""
	expect_eq "$(resp 0)" "$(json 'x cat' executed 0)"
}

# --- INJ-001..014 (test_injection_attempts.py) ------------------------------------------

@test "[INJ-001] 'a | cat /etc/passwd' is a recovery that never runs" {
	exec_config
	go <<'EOF'
x say msg=a | cat /etc/passwd
.
EOF
	assert_success
	expect_eq "$(nresp)" 1
	assert_output_not_contains "root:"
}

@test "[INJ-002] '; rm -rf /' is a second command, rejected" {
	exec_config
	go <<'EOF'
x say msg=a ; rm -rf /
.
EOF
	assert_status 128
	expect_eq "$(nresp)" 2
	expect_eq "$(resp 1)" "$(json 'rm -rf /' "rejected: unknown domain 'rm'")"
}

@test "[INJ-003] '&& cat /etc/shadow' is a permissive chain, rejected" {
	exec_config
	go <<'EOF'
x say msg=a && cat /etc/shadow
.
EOF
	assert_status 128
	expect_eq "$(nresp)" 2
	assert_output_not_contains "root:"
	expect_eq "$(fr_json 1 status_message)" "rejected: unknown domain 'cat'"
}

@test "[INJ-004] a command substitution in a value is passed literally" {
	exec_config
	go <<'EOF'
x argv msg="$(cat /etc/passwd)"
.
EOF
	assert_success
	expect_text "$(stream)" $'>> argc=1\n>> [$(cat /etc/passwd)]'
}

@test "[INJ-005] backticks in a value are passed literally" {
	exec_config
	go <<'EOF'
x argv msg="`id`"
.
EOF
	assert_success
	expect_text "$(stream)" $'>> argc=1\n>> [`id`]'
}

@test "[INJ-006] a redirection is a positional argument and creates no file" {
	exec_config
	go <<EOF
x say msg=a > $BSSH_TMP/output.txt
.
EOF
	assert_status 128
	[[ ! -e $BSSH_TMP/output.txt ]]
	expect_eq "$(fr_json 0 status_message)" "rejected: argument '>' must use key=value syntax (positional arguments not supported)"
}

@test "[INJ-007] quoted shell specials are plain text" {
	exec_config
	go <<'EOF'
x argv msg="a;b|c&d(e)f<g>h*"
.
EOF
	assert_success
	expect_text "$(stream)" $'>> argc=1\n>> [a;b|c&d(e)f<g>h*]'
}

@test "[INJ-008] a backslash-n inside quotes stays two characters" {
	exec_config
	go <<'EOF'
x argv msg="line\nbreak"
.
EOF
	assert_success
	expect_text "$(stream)" $'>> argc=1\n>> [line\\nbreak]'
}

@test "[INJ-009] a path as domain is an unknown domain" {
	exec_config
	go <<'EOF'
../../etc/passwd cat
.
EOF
	assert_status 128
	expect_eq "$(fr_json 0 status_message)" "rejected: unknown domain '../../etc/passwd'"
}

@test "[INJ-010] a 260-character value is too long" {
	exec_config
	v=$(head -c 260 /dev/zero | tr '\0' A)
	go <<EOF
x say msg=$v
.
EOF
	assert_status 128
	expect_eq "$(fr_json 0 status_message)" "rejected: token too long (264 chars, max 256)"
}

@test "[INJ-011] a domain alone is rejected" {
	exec_config
	go <<'EOF'
x
.
EOF
	assert_status 128
	expect_eq "$(fr_json 0 status_message)" "rejected: expected: <domain> <action> [args...]"
}

@test "[INJ-012] a positional argument is rejected" {
	exec_config
	go <<'EOF'
x say hello
.
EOF
	assert_status 128
	[[ $(fr_json 0 status_message) == *"positional"* ]]
}

@test "[INJ-013] shell variables in a value are passed literally" {
	exec_config
	go <<'EOF'
x argv msg=$HOME${PATH}
.
EOF
	assert_success
	expect_text "$(stream)" $'>> argc=1\n>> [$HOME${PATH}]'
}

@test "[INJ-014] an empty block exits 0 with no response" {
	exec_config
	go <<'EOF'

.
EOF
	assert_success
	expect_eq "$(nresp)" 0
}

# --- OUT-001..014 (test_output_edge_cases.py) -------------------------------------------

@test "[OUT-001] a success has the 5 fields, the command and stream lines" {
	exec_config
	go <<'EOF'
x say msg=hello
.
EOF
	assert_success
	expect_eq "$(stream)" ">> hello"
	expect_eq "$(resp 0)" "$(json 'x say msg=hello' executed 0)"
}

@test "[OUT-002] a 131 response has null stdout and stderr" {
	exec_config
	go <<'EOF'
x ops
.
EOF
	assert_status 131
	expect_eq "$(resp 0)" "$(json 'x ops' 'rejected: insufficient level (ops required, read granted)' 131)"
}

@test "[OUT-003] stderr is streamed as >>! and the code is 1" {
	exec_config
	go <<'EOF'
x fail
.
EOF
	assert_status 1
	expect_eq "$(stream)" ">>! error: something failed"
	expect_eq "$(fr_json 0 status_code)" 1
}

@test "[OUT-005] a silent command streams nothing" {
	exec_config
	go <<'EOF'
x silent
.
EOF
	assert_success
	expect_eq "$(stream)" ""
	expect_eq "$(nresp)" 1
}

@test "[OUT-006] the banner: version, capabilities, nonce line" {
	fr_config <<'EOF'
[domains.x]
description = "x"

[domains.x.actions.a]
description = "a"
level = "read"
execute = "/bin/true"

[auth]
challenge_nonce = true

[auth.tokens.t]
secret = "b64:c2VjcmV0"
level = "ops"
EOF
	go </dev/null
	assert_success
	assert_line_count 4
	assert_line_equals 0 "#> ssh-frontiere 3.1.0"
	assert_line_equals 1 "+> capabilities rbac, session, help, body"
	[[ ${lines[2]} =~ ^\+\>\ challenge\ nonce=[0-9a-f]{32}$ ]] || { _bssh_diag "nonce line"; false; }
	assert_line_equals 3 '#> type "help" for available commands'
}

@test "[OUT-007] the >>> line is valid JSON" {
	exec_config
	go <<'EOF'
x say msg='quote " and tab	here'
.
EOF
	resp 0 | python3 -c 'import json,sys; json.load(sys.stdin)'
}

@test "[OUT-008] a sensitive argument never reaches the log" {
	exec_config
	go <<'EOF'
x secret password=SuperSecret123
.
EOF
	assert_success
	grep -q '"event":"executed"' "$FR_LOG"
	! grep -q SuperSecret123 "$FR_LOG"
}

@test "[OUT-009] defaults staging and false are streamed" {
	exec_config
	go <<'EOF'
x defaults
.
EOF
	assert_success
	expect_eq "$(stream)" ">> deploy staging false"
}

@test "[OUT-010] binary stdin is a protocol error, 132" {
	exec_config
	printf 'x say msg=\200\201\377\n.\n' >"$BSSH_TMP/in"
	go <"$BSSH_TMP/in"
	assert_status 132
	expect_eq "$(nresp)" 0
	assert_output_contains "#> service unavailable"
	expect_eq "$(fr_stderr)" "frontiere-dispatch: protocol: service unavailable"
}

@test "[OUT-011] key=value=with=equals keeps everything after the first =" {
	exec_config
	go <<'EOF'
x argv msg=value=with=equals
.
EOF
	assert_success
	expect_text "$(stream)" $'>> argc=1\n>> [value=with=equals]'
}

@test "[OUT-012] key= with an empty value is accepted" {
	exec_config
	go <<'EOF'
x argv msg=
.
EOF
	assert_success
	expect_text "$(stream)" $'>> argc=1\n>> []'
}

@test "[OUT-013] a duplicate argument is 128" {
	exec_config
	go <<'EOF'
x say msg=a msg=b
.
EOF
	assert_status 128
	expect_eq "$(fr_json 0 status_message)" "rejected: duplicate argument 'msg'"
}

@test "[OUT-014] an unknown argument is 128" {
	exec_config
	go <<'EOF'
x say msg=a other=b
.
EOF
	assert_status 128
	expect_eq "$(fr_json 0 status_message)" "rejected: unknown argument 'other' for 'x say'"
}

# --- PRO-001..014 (test_protocol_abuse.py) -----------------------------------------------

@test "[PRO-001] a client line '> {json}' is a command, 128" {
	exec_config
	go <<'EOF'
> {"command":"x say"}
.
EOF
	assert_status 128
	expect_eq "$(fr_json 0 status_message)" "rejected: unknown domain '>'"
}

@test "[PRO-002] a header line without its '+ ' prefix is a command, 128" {
	exec_config
	go <<'EOF'
auth token=t proof=00
.
EOF
	assert_status 128
	expect_eq "$(fr_json 0 status_message)" "rejected: unknown domain 'auth'"
}

@test "[PRO-003] '+ session invalid_value' is ignored: one-shot" {
	exec_config
	go <<'EOF'
+ session invalid_value
x say msg=one
.
x say msg=two
.
EOF
	assert_success
	expect_eq "$(nresp)" 1
	assert_output_not_contains ">> two"
}

@test "[PRO-004] an unknown directive is ignored" {
	exec_config
	go <<'EOF'
+ frobnicate now please
x say msg=one
.
EOF
	assert_success
	expect_eq "$(stream)" ">> one"
}

@test "[PRO-005] a 64 KB line is a protocol error, 132" {
	exec_config
	{
		head -c 65536 /dev/zero | tr '\0' a
		printf '\n.\n'
	} >"$BSSH_TMP/in"
	go <"$BSSH_TMP/in"
	assert_status 132
	expect_eq "$(nresp)" 0
	assert_output_contains "#> service unavailable"
	expect_eq "$(fr_stderr)" "frontiere-dispatch: protocol: service unavailable"
}

@test "[PRO-006] empty stdin exits 0 after the banner" {
	exec_config
	go </dev/null
	assert_success
	assert_line_count 4
	expect_eq "$(nresp)" 0
}

@test "[PRO-007] a block without '.' is dropped, exit 0" {
	exec_config
	printf 'x say msg=one\n' >"$BSSH_TMP/in"
	go <"$BSSH_TMP/in"
	assert_success
	expect_eq "$(nresp)" 0
	assert_output_not_contains ">> one"
}

@test "[PRO-008] many blank lines before the command are ignored" {
	exec_config
	{
		for i in $(seq 200); do echo; done
		printf 'x say msg=one\n.\n'
	} >"$BSSH_TMP/in"
	go <"$BSSH_TMP/in"
	assert_success
	expect_eq "$(stream)" ">> one"
}

@test "[PRO-009] '+ body size=-1' is ignored: no body is read" {
	exec_config
	go <<'EOF'
+ body size=-1
x cat
.
hello
.
EOF
	assert_success
	expect_eq "$(stream)" ""
	expect_eq "$(nresp)" 1
}

@test "[PRO-010] '+ body size=999999' is refused before reading, 132" {
	exec_config
	go <<'EOF'
+ body size=999999
x cat
.
hello
EOF
	assert_status 132
	expect_eq "$(nresp)" 0
	assert_output_contains "#> service unavailable"
	expect_eq "$(fr_stderr)" ""
}

@test "[PRO-011] a stop marker that never comes is a body error, 132" {
	exec_config
	go --diagnostic <<'EOF'
+ body stop="END"
x cat
.
data
EOF
	assert_status 132
	expect_eq "$(nresp)" 0
	assert_output_contains "#> body error: unexpected EOF"
}

@test "[PRO-012] a dollar-space prefix is part of the command, 128" {
	exec_config
	go <<'EOF'
$ x say msg=one
.
EOF
	assert_status 128
	expect_eq "$(fr_json 0 status_message)" "rejected: unknown domain '\$'"
}

@test "[PRO-013] a body sent to a command that does not read it does no harm" {
	exec_config
	go <<'EOF'
+ body
x say msg=one
.
some body
.
EOF
	expect_eq "$(nresp)" 1
	case $status in
	0) expect_eq "$(fr_json 0 status_message)" executed ;;
	133) expect_eq "$(fr_json 0 status_message)" "stdin closed: target process closed stdin before body was fully written" ;;
	*) _bssh_diag "unexpected status"; false ;;
	esac
}

@test "[PRO-014] binary garbage with NULs on stdin is a protocol error, 132" {
	exec_config
	printf '\000\001\377\376garbage\n.\n' >"$BSSH_TMP/in"
	go <"$BSSH_TMP/in"
	assert_status 132
	expect_eq "$(nresp)" 0
	expect_eq "$(fr_stderr)" "frontiere-dispatch: protocol: service unavailable"
}

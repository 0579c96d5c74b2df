#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2034
# frontiere-dispatch, black box: running the child (spec §8 streaming, §10),
# decision 5, and the ports of the Python scenarios TMO-001..010,
# OUT-001..014, INJ-001..014 and PRO-001..014 (spec §15.3).

load lib/common
load lib/frontiere

setup() {
	fr_setup
	exec_config
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

$(fr_action x.code 'Exit with a code' read "$FR_STUBS/c-exit.sh {code}" -- 'code = { free = true }')
$(fr_action x.signal 'Kill itself' read "$FR_STUBS/c-signal.sh {sig}")

[domains.x.actions.signal.args]
sig = { type = "enum", values = ["SEGV", "TERM"] }

$(fr_action x.order 'Alternate stdout and stderr' read "$FR_STUBS/c-order.sh")
$(fr_action x.partial 'Last line without LF' read "$FR_STUBS/c-partial.sh")
$(fr_action x.cr 'CR characters' read "$FR_STUBS/c-cr.sh")
$(fr_action x.badutf8 'Not UTF-8' read "$FR_STUBS/c-badutf8.sh")
$(fr_action x.lines 'N lines then a code' read "$FR_STUBS/c-lines.sh {n} {code}" -- 'n = { free = true }' 'code = { free = true, default = "0" }')
$(fr_action x.xs 'One long line' read "$FR_STUBS/c-xs.sh {n}" -- 'n = { free = true }')
$(fr_action x.seq 'seq' read '/usr/bin/seq {n}' -- 'n = { free = true }')
$(fr_action x.fail 'stderr and exit 1' read "$FR_STUBS/c-fail.sh")
$(fr_action x.silent 'No output' read '/bin/true')
$(fr_action x.slow 'Sleep, 1 s timeout' read '/bin/sleep {secs}' 'timeout = 1' -- 'secs = { free = true }')
$(fr_action x.deflt 'Sleep, default timeout' read '/bin/sleep {secs}' -- 'secs = { free = true }')
$(fr_action x.zero 'Sleep, timeout 0' read '/bin/sleep {secs}' 'timeout = 0' -- 'secs = { free = true }')
$(fr_action x.stubborn 'Ignore SIGTERM' read "$FR_STUBS/c-stubborn.sh {secs}" 'timeout = 1' -- 'secs = { free = true }')
$(fr_action x.forker 'Fork sleeps' read "$FR_STUBS/c-forker.sh {secs}" 'timeout = 1' -- 'secs = { free = true }')
$(fr_action x.yes 'Endless stdout' read '/usr/bin/yes' 'timeout = 2')
$(fr_action x.errflood 'Endless stderr' read "$FR_STUBS/c-errflood.sh" 'timeout = 2')
$(fr_action x.missing 'No such file' read '/nonexistent/c-missing.sh')
$(fr_action x.noexec 'Mode 644' read "$FR_STUBS/c-noexec.sh")
$(fr_action x.argv 'Show argv' read "$FR_STUBS/c-args.sh {msg}" -- 'msg = { free = true }')
$(fr_action x.say 'echo' read '/bin/echo {msg}' -- 'msg = { free = true }')
$(fr_action x.blank 'Blank execute' read '   ')
$(fr_action x.empty 'Empty execute' read '')
$(fr_action x.rel 'Relative program' read 'echo rel')
$(fr_action x.inpath "Only in the caller's PATH" read 'c-only-in-caller-path')
$(fr_action x.env 'Environment' read '/usr/bin/env')
$(fr_action x.pgid 'Process group' read "$FR_STUBS/c-pgid.sh")
$(fr_action x.fds 'Open fds' read '/bin/ls /proc/self/fd')
$(fr_action x.fdkind 'What fds 0-2 are' read "$FR_STUBS/c-fdkind.sh")
$(fr_action x.cat 'Copy stdin' read '/bin/cat')
$(fr_action x.ops 'Ops only' ops '/bin/echo ops')
$(fr_action x.secret 'Sensitive argument' read '/bin/echo done' -- 'password = { free = true, sensitive = true }')
$(fr_action x.defaults 'Defaults' read '/bin/echo deploy {env} {verbose}')

[domains.x.actions.defaults.args]
env = { type = "enum", values = ["staging", "prod"], default = "staging" }
verbose = { type = "enum", values = ["true", "false"], default = "false" }
EOF
}

# go [ARGS...] <<EOF: run at read level with the test config
go() {
	fr_feed --level=read "$@"
}

# one LINE: go with the block of that one line
one() {
	go <<<"$1"$'\n.'
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
	one 'x order'
	assert_success
	expected='>> out-1
>>! err-1
>> out-2
>>! err-2
>>> {"command":"x order","status_code":0,"status_message":"executed","stdout":null,"stderr":null}'
	expect_text "$(fr_after_banner)" "$expected"
}

@test "a last line without a newline is still sent" {
	one 'x partial'
	assert_success
	expect_text "$(fr_stream)" $'>> first\n>> no newline at end'
}

@test "CR is not stripped from streamed lines" {
	one 'x cr'
	assert_success
	expect_text "$(fr_stream)" $'>> crlf\r\n>> mid\rdle'
}

@test "past max_stream_bytes: one notice, later lines dropped, the child's own code" {
	exec_config "max_stream_bytes = 100"
	one 'x lines n=30 code=3'
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
	expect_text "$(fr_stream)" "$expected"
	expect_eq "$(fr_response 0)" "$(fr_reply 'x lines n=30 code=3' executed 3)"
}

@test "output reaching exactly max_stream_bytes is not truncated" {
	exec_config "max_stream_bytes = 96"
	one 'x lines n=12'
	assert_success
	expect_eq "$(fr_stream | grep -c '^>> line-')" 12
	assert_output_not_contains "output truncated"
}

@test "max_stream_bytes counts stdout and stderr together" {
	exec_config "max_stream_bytes = 15"
	one 'x order'
	assert_success
	expect_text "$(fr_stream)" $'>> out-1\n>>! err-1\n>>! ssh-frontiere: output truncated (max 0MB exceeded)'
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
	expect_eq "$(tail -n 1 "$BSSH_TMP/out")" ">>> $(fr_reply 'x seq n=400000' executed 0)"
}

@test "[TMO-004] decision 5: a yes flood is cut by max_stream_bytes and by the timeout" {
	exec_config "max_stream_bytes = 1024"
	one 'x yes'
	assert_status 130
	# 512 lines "y" make exactly 1024 bytes; the 513th is the first too many
	expect_eq "$(printf '%s\n' "$output" | grep -c '^>> y$')" 512
	expect_text "$(printf '%s\n' "$output" | tail -n 3)" '>>! ssh-frontiere: output truncated (max 0MB exceeded)
>>! ssh-frontiere: command timed out
>>> {"command":"x yes","status_code":130,"status_message":"timeout after 2s: x yes","stdout":null,"stderr":null}'
}

@test "decision 5: an endless stderr is capped and timed out the same way" {
	exec_config "max_stream_bytes = 1024"
	one 'x errflood'
	assert_status 130
	expect_eq "$(printf '%s\n' "$output" | grep -c '^>>! err$')" 256
	expect_text "$(printf '%s\n' "$output" | tail -n 3)" '>>! ssh-frontiere: output truncated (max 0MB exceeded)
>>! ssh-frontiere: command timed out
>>> {"command":"x errflood","status_code":130,"status_message":"timeout after 2s: x errflood","stdout":null,"stderr":null}'
}

@test "decision 5: a line over 65536 bytes comes as several >> lines of at most 65536" {
	one 'x xs n=70000'
	assert_success
	printf '%s\n' "$output" | grep '^>> ' | cut -c4- >"$BSSH_TMP/chunks"
	n=$(wc -l <"$BSSH_TMP/chunks")
	[[ $n -ge 2 ]] || { _bssh_diag "only $n chunk(s)"; false; }
	longest=$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$BSSH_TMP/chunks")
	[[ $longest -le 65536 ]] || { _bssh_diag "a chunk of $longest bytes"; false; }
	expect_eq "$(tr -d '\n' <"$BSSH_TMP/chunks" | tr -d x | wc -c)" 0
	expect_eq "$(tr -d '\n' <"$BSSH_TMP/chunks" | wc -c)" 70000
	expect_eq "$(fr_response 0)" "$(fr_reply 'x xs n=70000' executed 0)"
}

@test "decision 5: bytes that are not UTF-8 are forwarded and reading goes on" {
	one 'x badutf8'
	assert_success
	expect_text "$(fr_stream)" $'>> \377\376\n>> after'
	expect_eq "$(fr_response 0)" "$(fr_reply 'x badutf8' executed 0)"
}

# --- exit codes ---------------------------------------------------------------------

@test "the child's exit code is the status code and the process exit code" {
	for c in 0 7 200; do
		go <<EOF
x code code=$c
.
EOF
		assert_status "$c"
		expect_eq "$(fr_response 0)" "$(fr_reply "x code code=$c" executed "$c")"
		assert_output_contains ">> exiting with $c"
	done
}

@test "[TMO-006] a child killed by SIGSEGV gives 139, executed" {
	one 'x signal sig=SEGV'
	assert_status 139
	assert_output_not_contains "still alive"
	expect_eq "$(fr_response 0)" "$(fr_reply 'x signal sig=SEGV' executed 139)"
}

@test "a child killed by SIGTERM gives 143, executed" {
	one 'x signal sig=TERM'
	assert_status 143
	expect_eq "$(fr_response 0)" "$(fr_reply 'x signal sig=TERM' executed 143)"
}

# --- §10.4 timeouts ---------------------------------------------------------------

@test "[TMO-001] a timeout is 130, command '<domain> <action>', notice right before" {
	go <<EOF
x slow secs=$FR_MARK
.
EOF
	assert_status 130
	expect_text "$(fr_after_banner)" ">>! ssh-frontiere: command timed out
>>> $(fr_reply 'x slow' 'timeout after 1s: x slow' 130)"
	sleeps_gone
}

@test "[TMO-002] default_timeout applies to actions without a timeout" {
	exec_config "default_timeout = 1"
	go <<EOF
x deflt secs=$FR_MARK
.
EOF
	assert_status 130
	expect_eq "$(fr_response 0)" "$(fr_reply 'x deflt' 'timeout after 1s: x deflt' 130)"
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
	expect_eq "$(fr_nresp)" 2
	assert_output_contains ">> one"
	assert_output_contains ">> two"
	assert_output_contains "#> session closed"
}

@test "[TMO-005] a child ignoring SIGTERM is killed after the grace period, 130" {
	go <<EOF
x stubborn secs=$FR_MARK
.
EOF
	assert_status 130
	expect_text "$(fr_after_banner)" ">> stubborn
>>! ssh-frontiere: command timed out
>>> $(fr_reply 'x stubborn' 'timeout after 1s: x stubborn' 130)"
	sleeps_gone
}

@test "[TMO-009] forked grandchildren are killed with the process group" {
	go <<EOF
x forker secs=$FR_MARK
.
EOF
	assert_status 130
	assert_output_contains ">> forked"
	expect_eq "$(fr_response 0)" "$(fr_reply 'x forker' 'timeout after 1s: x forker' 130)"
	sleeps_gone
}

@test "[TMO-010] timeout = 0 times out at once" {
	go <<EOF
x zero secs=$FR_MARK
.
EOF
	assert_status 130
	expect_eq "$(fr_response 0)" "$(fr_reply 'x zero' 'timeout after 0s: x zero' 130)"
	sleeps_gone
}

# --- §10.1 spawn ----------------------------------------------------------------------

@test "[TMO-007] a missing executable is 128 failed to spawn" {
	one 'x missing'
	assert_status 128
	expect_eq "$(fr_nresp)" 1
	expect_eq "$(fr_stream)" ""
	expect_prefix "$(fr_json 0 status_message)" "execution error: failed to spawn: "
	expect_eq "$(fr_json 0 command)" "x missing"
}

@test "[TMO-008] a non-executable file is 128 failed to spawn" {
	[[ ! -x $FR_STUBS/c-noexec.sh ]]
	one 'x noexec'
	assert_status 128
	assert_output_not_contains "should-not-run"
	expect_prefix "$(fr_json 0 status_message)" "execution error: failed to spawn: "
}

@test "a NUL in an argument is 128 failed to spawn, never a truncated argv" {
	printf 'x argv msg="a\000b"\n.\n' >"$BSSH_TMP/in"
	go <"$BSSH_TMP/in"
	assert_status 128
	assert_output_not_contains ">> [a"
	expect_prefix "$(fr_json 0 status_message)" "execution error: failed to spawn: "
}

@test "a blank or empty execute is 128 execution error: empty command" {
	one 'x blank'
	assert_status 128
	expect_eq "$(fr_response 0)" "$(fr_reply 'x blank' 'execution error: empty command')"
	one 'x empty'
	assert_status 128
	expect_eq "$(fr_response 0)" "$(fr_reply 'x empty' 'execution error: empty command')"
}

@test "a program name without '/' is looked up in the fixed PATH" {
	one 'x rel'
	assert_success
	expect_eq "$(fr_stream)" ">> rel"
}

@test "the caller's PATH is not used to find the program" {
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
	FR_ENV="FOO=leak HOME=/tmp LANG=C.UTF-8 SSH_CLIENT=192.0.2.9"
	one 'x env'
	assert_success
	uuid=$(printf '%s\n' "$output" | sed -n 's/^+> session //p')
	[[ $uuid =~ ^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$ ]] ||
		{ _bssh_diag "session id: $uuid"; false; }
	expect_text "$(fr_stream | sort)" ">> PATH=/usr/local/bin:/usr/bin:/bin
>> SSH_FRONTIERE_SESSION=$uuid"
}

@test "the child leads a new process group" {
	one 'x pgid'
	assert_success
	pid=$(printf '%s\n' "$output" | sed -n 's/^>> pid=//p')
	pgid=$(printf '%s\n' "$output" | sed -n 's/^>> pgid=//p')
	[[ -n $pid && $pid == "$pgid" ]] || { _bssh_diag "pid=$pid pgid=$pgid"; false; }
}

@test "the child inherits only fds 0, 1 and 2" {
	one 'x fds'
	assert_success
	# fd 3 is the directory ls itself opened to list /proc/self/fd
	expect_text "$(fr_stream)" $'>> 0\n>> 1\n>> 2\n>> 3'
}

@test "without a body stdin is /dev/null; stdout and stderr are two pipes" {
	one 'x fdkind'
	assert_success
	expect_eq "$(printf '%s\n' "$output" | sed -n 's/^>> 0=//p')" /dev/null
	out=$(printf '%s\n' "$output" | sed -n 's/^>> 1=//p')
	err=$(printf '%s\n' "$output" | sed -n 's/^>> 2=//p')
	[[ $out == pipe:* && $err == pipe:* && $out != "$err" ]] ||
		{ _bssh_diag "fd1=$out fd2=$err"; false; }
}

@test "a child reading stdin without a body gets EOF at once" {
	one 'x cat'
	assert_success
	expect_eq "$(fr_stream)" ""
	expect_eq "$(fr_response 0)" "$(fr_reply 'x cat' executed 0)"
}

# --- INJ-001..014 (test_injection_attempts.py) ------------------------------------------

@test "[INJ-001] 'a | cat /etc/passwd' is a recovery that never runs" {
	one 'x say msg=a | cat /etc/passwd'
	assert_success
	expect_eq "$(fr_nresp)" 1
	assert_output_not_contains "root:"
}

@test "[INJ-002] '; rm -rf /' is a second command, rejected" {
	one 'x say msg=a ; rm -rf /'
	assert_status 128
	expect_eq "$(fr_nresp)" 2
	expect_eq "$(fr_response 1)" "$(fr_reply 'rm -rf /' "rejected: unknown domain 'rm'")"
}

@test "[INJ-003] '&& cat /etc/shadow' is a permissive chain, rejected" {
	one 'x say msg=a && cat /etc/shadow'
	assert_status 128
	expect_eq "$(fr_nresp)" 2
	assert_output_not_contains "root:"
	expect_eq "$(fr_json 1 status_message)" "rejected: unknown domain 'cat'"
}

@test "[INJ-004] a command substitution in a value is passed literally" {
	one 'x argv msg="$(cat /etc/passwd)"'
	assert_success
	expect_text "$(fr_stream)" $'>> argc=1\n>> [$(cat /etc/passwd)]'
}

@test "[INJ-005] backticks in a value are passed literally" {
	one 'x argv msg="`id`"'
	assert_success
	expect_text "$(fr_stream)" $'>> argc=1\n>> [`id`]'
}

@test "[INJ-006] a redirection is a positional argument and creates no file" {
	go <<EOF
x say msg=a > $BSSH_TMP/output.txt
.
EOF
	assert_status 128
	[[ ! -e $BSSH_TMP/output.txt ]]
	expect_eq "$(fr_json 0 status_message)" "rejected: argument '>' must use key=value syntax (positional arguments not supported)"
}

@test "[INJ-007] quoted shell specials are plain text" {
	one 'x argv msg="a;b|c&d(e)f<g>h*"'
	assert_success
	expect_text "$(fr_stream)" $'>> argc=1\n>> [a;b|c&d(e)f<g>h*]'
}

@test "[INJ-008] a backslash-n inside quotes stays two characters" {
	one 'x argv msg="line\nbreak"'
	assert_success
	expect_text "$(fr_stream)" $'>> argc=1\n>> [line\\nbreak]'
}

@test "[INJ-009] a path as domain is an unknown domain" {
	one '../../etc/passwd cat'
	assert_status 128
	expect_eq "$(fr_json 0 status_message)" "rejected: unknown domain '../../etc/passwd'"
}

@test "[INJ-010] a 260-character value is too long" {
	v=$(head -c 260 /dev/zero | tr '\0' A)
	go <<EOF
x say msg=$v
.
EOF
	assert_status 128
	expect_eq "$(fr_json 0 status_message)" "rejected: token too long (264 chars, max 256)"
}

@test "[INJ-011] a domain alone is rejected" {
	one 'x'
	assert_status 128
	expect_eq "$(fr_json 0 status_message)" "rejected: expected: <domain> <action> [args...]"
}

@test "[INJ-012] a positional argument is rejected" {
	one 'x say hello'
	assert_status 128
	[[ $(fr_json 0 status_message) == *"positional"* ]]
}

@test "[INJ-013] shell variables in a value are passed literally" {
	one 'x argv msg=$HOME${PATH}'
	assert_success
	expect_text "$(fr_stream)" $'>> argc=1\n>> [$HOME${PATH}]'
}

@test "[INJ-014] an empty block exits 0 with no response" {
	one ''
	assert_success
	expect_eq "$(fr_nresp)" 0
}

# --- OUT-001..014 (test_output_edge_cases.py) -------------------------------------------

@test "[OUT-001] a success has the 5 fields, the command and stream lines" {
	one 'x say msg=hello'
	assert_success
	expect_eq "$(fr_stream)" ">> hello"
	expect_eq "$(fr_response 0)" "$(fr_reply 'x say msg=hello' executed 0)"
}

@test "[OUT-002] a 131 response has null stdout and stderr" {
	one 'x ops'
	assert_status 131
	expect_eq "$(fr_response 0)" "$(fr_reply 'x ops' 'rejected: insufficient level (ops required, read granted)' 131)"
}

@test "[OUT-003] stderr is streamed as >>! and the code is 1" {
	one 'x fail'
	assert_status 1
	expect_eq "$(fr_stream)" ">>! error: something failed"
	expect_eq "$(fr_json 0 status_code)" 1
}

@test "[OUT-005] a silent command streams nothing" {
	one 'x silent'
	assert_success
	expect_eq "$(fr_stream)" ""
	expect_eq "$(fr_nresp)" 1
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
	go <<'EOF'
x say msg='quote " and tab	here'
.
EOF
	fr_response 0 | python3 -c 'import json,sys; json.load(sys.stdin)'
}

@test "[OUT-008] a sensitive argument never reaches the log" {
	one 'x secret password=SuperSecret123'
	assert_success
	grep -q '"event":"executed"' "$FR_LOG"
	! grep -q SuperSecret123 "$FR_LOG"
}

@test "[OUT-009] defaults staging and false are streamed" {
	one 'x defaults'
	assert_success
	expect_eq "$(fr_stream)" ">> deploy staging false"
}

@test "[OUT-010] binary stdin is a protocol error, 132" {
	printf 'x say msg=\200\201\377\n.\n' >"$BSSH_TMP/in"
	go <"$BSSH_TMP/in"
	assert_status 132
	expect_eq "$(fr_nresp)" 0
	assert_output_contains "#> service unavailable"
	fr_stderr_is "frontiere-dispatch: protocol: service unavailable"
}

@test "[OUT-011] key=value=with=equals keeps everything after the first =" {
	one 'x argv msg=value=with=equals'
	assert_success
	expect_text "$(fr_stream)" $'>> argc=1\n>> [value=with=equals]'
}

@test "[OUT-012] key= with an empty value is accepted" {
	one 'x argv msg='
	assert_success
	expect_text "$(fr_stream)" $'>> argc=1\n>> []'
}

@test "[OUT-013] a duplicate argument is 128" {
	one 'x say msg=a msg=b'
	assert_status 128
	expect_eq "$(fr_json 0 status_message)" "rejected: duplicate argument 'msg'"
}

@test "[OUT-014] an unknown argument is 128" {
	one 'x say msg=a other=b'
	assert_status 128
	expect_eq "$(fr_json 0 status_message)" "rejected: unknown argument 'other' for 'x say'"
}

# --- PRO-001..014 (test_protocol_abuse.py) -----------------------------------------------

@test "[PRO-001] a client line '> {json}' is a command, 128" {
	one '> {"command":"x say"}'
	assert_status 128
	expect_eq "$(fr_json 0 status_message)" "rejected: unknown domain '>'"
}

@test "[PRO-002] a header line without its '+ ' prefix is a command, 128" {
	one 'auth token=t proof=00'
	assert_status 128
	expect_eq "$(fr_json 0 status_message)" "rejected: unknown domain 'auth'"
}

@test "[PRO-003] '+ session invalid_value' is ignored: one-shot" {
	go <<'EOF'
+ session invalid_value
x say msg=one
.
x say msg=two
.
EOF
	assert_success
	expect_eq "$(fr_nresp)" 1
	assert_output_not_contains ">> two"
}

@test "[PRO-004] an unknown directive is ignored" {
	go <<'EOF'
+ frobnicate now please
x say msg=one
.
EOF
	assert_success
	expect_eq "$(fr_stream)" ">> one"
}

@test "[PRO-005] a 64 KB line is a protocol error, 132" {
	{
		head -c 65536 /dev/zero | tr '\0' a
		printf '\n.\n'
	} >"$BSSH_TMP/in"
	go <"$BSSH_TMP/in"
	assert_status 132
	expect_eq "$(fr_nresp)" 0
	assert_output_contains "#> service unavailable"
	fr_stderr_is "frontiere-dispatch: protocol: service unavailable"
}

@test "[PRO-006] empty stdin exits 0 after the banner" {
	go </dev/null
	assert_success
	assert_line_count 4
	expect_eq "$(fr_nresp)" 0
}

@test "[PRO-007] a block without '.' is dropped, exit 0" {
	printf 'x say msg=one\n' >"$BSSH_TMP/in"
	go <"$BSSH_TMP/in"
	assert_success
	expect_eq "$(fr_nresp)" 0
	assert_output_not_contains ">> one"
}

@test "[PRO-008] many blank lines before the command are ignored" {
	{
		for i in $(seq 200); do echo; done
		printf 'x say msg=one\n.\n'
	} >"$BSSH_TMP/in"
	go <"$BSSH_TMP/in"
	assert_success
	expect_eq "$(fr_stream)" ">> one"
}

@test "[PRO-009] '+ body size=-1' is ignored: no body is read" {
	go <<'EOF'
+ body size=-1
x cat
.
hello
.
EOF
	assert_success
	expect_eq "$(fr_stream)" ""
	expect_eq "$(fr_nresp)" 1
}

@test "[PRO-010] '+ body size=999999' is refused before reading, 132" {
	go <<'EOF'
+ body size=999999
x cat
.
hello
EOF
	assert_status 132
	expect_eq "$(fr_nresp)" 0
	assert_output_contains "#> service unavailable"
	fr_stderr_is ""
}

@test "[PRO-011] a stop marker that never comes is a body error, 132" {
	go --diagnostic <<'EOF'
+ body stop="END"
x cat
.
data
EOF
	assert_status 132
	expect_eq "$(fr_nresp)" 0
	assert_output_contains "#> body error: unexpected EOF"
}

@test "[PRO-012] a dollar-space prefix is part of the command, 128" {
	one '$ x say msg=one'
	assert_status 128
	expect_eq "$(fr_json 0 status_message)" "rejected: unknown domain '\$'"
}

@test "[PRO-013] a body sent to a command that does not read it does no harm" {
	go <<'EOF'
+ body
x say msg=one
.
some body
.
EOF
	expect_eq "$(fr_nresp)" 1
	case $status in
	0) expect_eq "$(fr_json 0 status_message)" executed ;;
	133) expect_eq "$(fr_json 0 status_message)" "stdin closed: target process closed stdin before body was fully written" ;;
	*) _bssh_diag "unexpected status"; false ;;
	esac
}

@test "[PRO-014] binary garbage with NULs on stdin is a protocol error, 132" {
	printf '\000\001\377\376garbage\n.\n' >"$BSSH_TMP/in"
	go <"$BSSH_TMP/in"
	assert_status 132
	expect_eq "$(fr_nresp)" 0
	fr_stderr_is "frontiere-dispatch: protocol: service unavailable"
}

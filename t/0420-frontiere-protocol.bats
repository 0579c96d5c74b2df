#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2154
# frontiere-dispatch: the wire protocol (spec §2, §3, §9): banner, line
# classifier, header phase, block framing, the four body modes and the
# session loop (decisions 4, 7, 13).

bats_require_minimum_version 1.5.0

load lib/common
load lib/frontiere

setup() {
	fr_setup
}

teardown() {
	fr_teardown
}

# ---------------------------------------------------------------- helpers

# p_hex STR: the bytes of STR as lowercase hex, as p-stdin-hex prints them.
p_hex() {
	printf '%s' "$1" | od -An -tx1 -v | tr -d ' \n'
}

# p_config [GLOBAL-LINES [MORE-TOML]]: the config of this file.
p_config() {
	fr_config <<EOF
[global]
log_file = "$FR_LOG"
${1:-}

$(fr_domains)
$(fr_action t.hex 'Hex dump of stdin' read "$FR_STUBS/p-stdin-hex")
$(fr_action t.count 'Byte count of stdin' read "$FR_STUBS/p-stdin-count")
$(fr_action t.true 'Reads nothing' read '/bin/true')
$(fr_action t.fail 'Exit 3' read "$FR_STUBS/c-exit.sh 3")
$(fr_action t.session 'Session id' read "$FR_STUBS/p-session")
${2:-}
EOF
}


OK_ECHO='{"command":"t echo","status_code":0,"status_message":"executed","stdout":null,"stderr":null}'

# ---------------------------------------------------------------- banner

@test "banner without [auth]: three lines, capabilities 'session, help, body'" {
	p_config
	fr_feed </dev/null
	assert_success
	assert_output_equals "$FR_BANNER"
	fr_stderr_is ""
}

@test "banner with an empty [auth]: capabilities 'rbac, session, help, body', no challenge" {
	p_config "" "[auth]"
	fr_feed </dev/null
	assert_success
	assert_output_equals "$FR_BANNER_AUTH"
}

@test "banner: challenge_nonce = true without any token gives no challenge line" {
	p_config "" '[auth]
challenge_nonce = true'
	fr_feed </dev/null
	assert_success
	assert_output_equals "$FR_BANNER_AUTH"
}

@test "banner in nonce mode: '+> challenge nonce=<32 lowercase hex>' third, fresh on every run" {
	p_config "" '[auth]
challenge_nonce = true
[auth.tokens.tk]
secret = "b64:c2VjcmV0"
level = "ops"'
	fr_feed </dev/null
	assert_success
	assert_line_count 4
	assert_line_equals 0 "#> ssh-frontiere 3.1.0"
	assert_line_equals 1 "+> capabilities rbac, session, help, body"
	[[ ${lines[2]} =~ ^\+\>\ challenge\ nonce=[0-9a-f]{32}$ ]]
	assert_line_equals 3 '#> type "help" for available commands'
	local first=${lines[2]}
	fr_feed </dev/null
	[[ ${lines[2]} =~ ^\+\>\ challenge\ nonce=[0-9a-f]{32}$ ]]
	[ "${lines[2]}" != "$first" ]
}

@test "banner with expose_session_id: '+> session <UUID v4>', the id the child gets as SSH_FRONTIERE_SESSION" {
	p_config "expose_session_id = true"
	fr_feed 't session\n.\n'
	assert_success
	assert_line_equals 0 "#> ssh-frontiere 3.1.0"
	assert_line_equals 1 "+> capabilities session, help, body"
	[[ ${lines[2]} =~ ^\+\>\ session\ [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$ ]]
	assert_line_equals 3 '#> type "help" for available commands'
	local uuid=${lines[2]#+> session }
	assert_line_equals 4 ">> session=$uuid"
	fr_feed <"$FR_IN"
	[ "${lines[2]}" != "+> session $uuid" ]
}

@test "banner with [auth], nonce and expose_session_id: the five lines in order" {
	p_config "expose_session_id = true" '[auth]
challenge_nonce = true
[auth.tokens.tk]
secret = "b64:c2VjcmV0"
level = "ops"'
	fr_feed </dev/null
	assert_success
	assert_line_count 5
	assert_line_equals 0 "#> ssh-frontiere 3.1.0"
	assert_line_equals 1 "+> capabilities rbac, session, help, body"
	[[ ${lines[2]} =~ ^\+\>\ challenge\ nonce=[0-9a-f]{32}$ ]]
	[[ ${lines[3]} =~ ^\+\>\ session\ [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$ ]]
	assert_line_equals 4 '#> type "help" for available commands'
}

@test "expose_session_id = false gives no session line" {
	p_config "expose_session_id = false"
	fr_feed </dev/null
	assert_success
	assert_output_equals "$FR_BANNER"
}

@test "the banner is written and flushed before any input arrives" {
	p_config
	fr_start --config="$FR_CONF"
	fr_wait_for '#> type "help" for available commands'
	[ "$(cat "$BSSH_TMP/out")" = "$FR_BANNER" ]
	fr_finish
	assert_success
	assert_output_equals "$FR_BANNER"
}

# ---------------------------------------------------------------- line classifier

@test "a line of 4095 characters plus LF is accepted" {
	p_config
	fr_in 't echo%4089s\n.\n' ''
	[ "$(head -n 1 "$FR_IN" | wc -c)" -eq 4096 ]
	fr_feed --diagnostic <"$FR_IN"
	assert_success
	fr_response_is 0 "$OK_ECHO"
	fr_stderr_is ""
}

@test "a line of 4096 characters plus LF is a protocol error (132): 'line too long (4097 chars, max 4096)'" {
	p_config
	fr_in 't echo%4090s\n.\n' ''
	[ "$(head -n 1 "$FR_IN" | wc -c)" -eq 4097 ]
	fr_feed --diagnostic <"$FR_IN"
	assert_status 132
	assert_output_equals "$FR_BANNER
#> protocol error: line too long (4097 chars, max 4096)"
	fr_stderr_is "frontiere-dispatch: protocol: protocol error: line too long (4097 chars, max 4096)"
}

@test "without --diagnostic a too-long line is '#> service unavailable' plus 'protocol: service unavailable' on stderr" {
	p_config
	fr_feed 't echo%4090s\n.\n' ''
	assert_status 132
	assert_output_equals "$FR_BANNER
#> service unavailable"
	fr_stderr_is "frontiere-dispatch: protocol: service unavailable"
}

@test "a too-long line inside the first block is a protocol error (132), nothing runs" {
	p_config
	fr_feed --diagnostic 't echo\n%5000s\n.\n' 'x'
	assert_status 132
	assert_output_equals "$FR_BANNER
#> protocol error: line too long (5001 chars, max 4096)"
}

@test "a CR counts in the line length: 4095 characters plus CRLF is too long" {
	p_config
	fr_feed --diagnostic 't echo%4089s\r\n.\n' ''
	assert_status 132
	assert_output_contains "#> protocol error: line too long (4097 chars, max 4096)"
}

@test "a final unterminated line of exactly 4096 bytes is accepted" {
	p_config
	fr_feed '+ session keepalive\nt echo\n.\n# %4094s' ''
	assert_success
	fr_last_line_is ">>> $OK_ECHO"
	assert_output_not_contains "protocol error"
}

@test "a final unterminated line of 4097 bytes is too long" {
	p_config
	fr_feed '+ session keepalive\nt echo\n.\n# %4095s' ''
	assert_success
	fr_last_line_is "#> protocol error: line too long (4097 chars, max 4096)"
}

@test "CRLF line endings are accepted: the CR is stripped from commands and headers" {
	p_config
	fr_feed '+ session keepalive\r\nt echo\r\n.\r\nt echo\r\n.\r\n.\r\n'
	assert_success
	fr_response_is 0 "$OK_ECHO"
	fr_response_is 1 "$OK_ECHO"
	fr_last_line_is "#> session closed"
}

@test "'. ' (dot and space) is text, not the end of the block (128)" {
	p_config
	fr_feed '. \n.\n'
	assert_status 128
	fr_response_is 0 '{"command":".","status_code":128,"status_message":"rejected: expected: <domain> <action> [args...]","stdout":null,"stderr":null}'
}

@test "'#x' is text, not a comment: it is a command and is rejected (128)" {
	p_config
	fr_feed '#x\n.\n'
	assert_status 128
	[ "$(fr_json 0 command)" = "#x" ]
	[ "$(fr_responses | wc -l)" -eq 1 ]
}

@test "'+x', '\$ cmd' and '> json' are text (PRO-001, PRO-012): rejected with 128" {
	p_config
	local l
	for l in '+x' '$ t echo' '> {"command":"t echo"}' '+session keepalive'; do
		printf '%s\n.\n' "$l" >"$FR_IN"
		fr_feed <"$FR_IN"
		assert_status 128
		[ "$(fr_json 0 command)" = "$l" ]
	done
}

@test "'#' alone and '# text' are comments in the header phase" {
	p_config
	fr_feed '#\n# hello\n#  \nt echo\n.\n'
	assert_success
	assert_output_equals "$FR_BANNER
>> hello
>>> $OK_ECHO"
}

@test "a line of spaces is text, not an empty line: 'empty command block' (128)" {
	p_config
	fr_feed '   \n.\n'
	assert_status 128
	fr_response_is 0 '{"command":"   ","status_code":128,"status_message":"rejected: empty command block","stdout":null,"stderr":null}'
	fr_stderr_is "frontiere-dispatch: rejected: empty command block"
}

@test "invalid UTF-8 in a command line is a protocol error (132)" {
	p_config
	fr_feed --diagnostic 't echo \xff\xfe\n.\n'
	assert_status 132
	assert_output_equals "$FR_BANNER
#> protocol error: I/O error: stream did not contain valid UTF-8"
	fr_stderr_is "frontiere-dispatch: protocol: protocol error: I/O error: stream did not contain valid UTF-8"
}

@test "invalid UTF-8 in a header comment is a protocol error (132), without --diagnostic too" {
	p_config
	fr_feed '# caf\xe9\nt echo\n.\n'
	assert_status 132
	assert_output_equals "$FR_BANNER
#> service unavailable"
	fr_stderr_is "frontiere-dispatch: protocol: service unavailable"
}

@test "valid multi-byte UTF-8 in headers is fine (ROB-005)" {
	p_config
	fr_feed '# café ✓ 日本\nt echo\n.\n'
	assert_success
	fr_response_is 0 "$OK_ECHO"
}

# ---------------------------------------------------------------- header phase

@test "no blank line is needed between headers and the command (integration 33)" {
	p_config
	fr_feed '# c\n+ foo\nt echo\n.\n'
	assert_success
	fr_response_is 0 "$OK_ECHO"
}

@test "blank lines before the command are allowed and ignored (integration 34, PRO-008)" {
	p_config
	fr_feed '\n\n\n# c\n\n\nt echo\n.\n'
	assert_success
	assert_output_equals "$FR_BANNER
>> hello
>>> $OK_ECHO"
}

@test "EOF during the headers: exit 0, only the banner, auth not evaluated" {
	p_config
	fr_feed '+ session keepalive\n# comment\n+ auth token=a proof=b\n\n'
	assert_success
	assert_output_equals "$FR_BANNER"
	fr_stderr_is ""
}

@test "empty stdin: exit 0 with only the banner (PRO-006)" {
	p_config
	fr_feed </dev/null
	assert_success
	assert_output_equals "$FR_BANNER"
}

@test "a first line '.' ends the run with 0 and executes nothing" {
	p_config
	fr_feed '.\nt echo\n.\n'
	assert_success
	assert_output_equals "$FR_BANNER"
}

@test "a first line '.' with keepalive: code 0 and the session still starts" {
	p_config
	fr_feed '+ session keepalive\n.\nt fail\n.\n.\n'
	assert_success
	assert_output_equals "$FR_BANNER
>> exiting with 3
>>> {\"command\":\"t fail\",\"status_code\":3,\"status_message\":\"executed\",\"stdout\":null,\"stderr\":null}
#> session closed"
}

@test "unknown directives, client capabilities and challenge lines are ignored (PRO-003, PRO-004)" {
	p_config
	fr_feed '+ foo bar\n+ capabilities rbac, session\n+ challenge nonce=00\n+ session invalid_value\n+ auth\n+ \nt echo\n.\nt echo\n.\n'
	assert_success
	assert_output_equals "$FR_BANNER
>> hello
>>> $OK_ECHO"
}

@test "'+ session keepalive ' with a trailing space is ignored: the run stays one-shot" {
	p_config
	fr_feed '+ session keepalive \nt echo\n.\nt echo\n.\n.\n'
	assert_success
	[ "$(fr_responses | wc -l)" -eq 1 ]
	assert_output_not_contains "session closed"
}

@test "the last '+ body' of the headers wins" {
	p_config
	fr_feed '+ body size=2\n+ body\nt hex\n.\nhello\n.\n'
	assert_success
	assert_output_contains ">> hex=$(p_hex hello)"
}

# ---------------------------------------------------------------- block framing

@test "lines of a block are joined by LF, each LF is a strict ';'" {
	p_config
	fr_feed 't fail\nt echo\n.\n'
	assert_status 3
	fr_codes_are "3"
}

@test "a blank line inside a block is a new command, not the end of the block" {
	p_config
	fr_feed 't echo\n\nt fail\n\n.\n'
	assert_status 3
	fr_codes_are "0 3"
}

@test "a header line inside a block is a protocol error (132) with 'protocol: ...' on stderr (PRO-005)" {
	p_config
	fr_feed --diagnostic 't echo\n+ body\n.\n'
	assert_status 132
	assert_output_equals "$FR_BANNER
#> protocol error: invalid protocol line: expected command text or '.', got header/comment"
	fr_stderr_is "frontiere-dispatch: protocol: protocol error: invalid protocol line: expected command text or '.', got header/comment"
	fr_feed <"$FR_IN"
	assert_status 132
	assert_output_equals "$FR_BANNER
#> service unavailable"
	fr_stderr_is "frontiere-dispatch: protocol: service unavailable"
}

@test "a comment line ('# x' or '#') inside a block is a protocol error (132)" {
	p_config
	fr_feed 't echo\n# note\n.\n'
	assert_status 132
	assert_output_not_contains ">>"
	fr_feed 't echo\n#\n.\n'
	assert_status 132
	assert_output_not_contains ">>"
}

@test "EOF before '.' drops the block silently: exit 0, nothing runs (PRO-007)" {
	p_config
	fr_feed 't echo\nt fail\n'
	assert_success
	assert_output_equals "$FR_BANNER"
	fr_stderr_is ""
}

@test "one-shot: nothing after the first block is read, even garbage" {
	p_config
	{
		printf 't echo\n.\nt fail\n.\n\xff\n'
		printf '%5000s\n' x
	} >"$FR_IN"
	fr_feed --diagnostic <"$FR_IN"
	assert_success
	assert_output_equals "$FR_BANNER
>> hello
>>> $OK_ECHO"
}

# ---------------------------------------------------------------- body: the modes

@test "'+ body': lines up to '.', joined with LF, no trailing LF" {
	p_config
	fr_feed '+ body\nt hex\n.\nhello\n.\n'
	assert_success
	assert_output_contains ">> hex=$(p_hex hello)"
	fr_feed '+ body\nt hex\n.\nline1\r\nline2\n\nline4\n.\n'
	assert_success
	assert_output_contains ">> hex=$(p_hex $'line1\nline2\n\nline4')"
}

@test "body lines are not classified: header and comment lines are body content" {
	p_config
	fr_feed '+ body\nt hex\n.\n+ auth token=a proof=b\n# c\n. \n.\n'
	assert_success
	assert_output_contains ">> hex=$(p_hex $'+ auth token=a proof=b\n# c\n. ')"
}

@test "body lines are not limited to 4096 bytes" {
	p_config
	{ printf '+ body\nt count\n.\n'; printf '%5000s\n.\n' x; } >"$FR_IN"
	fr_feed <"$FR_IN"
	assert_success
	assert_output_contains ">> bytes=5000"
}

@test "'+ body stop=\"X\"': ends at the line X, a '.' line is kept" {
	p_config
	fr_feed '+ body stop="FIN"\nt hex\n.\na\n.\nb\nFIN\n'
	assert_success
	assert_output_contains ">> hex=$(p_hex $'a\n.\nb')"
}

@test "'+ body stop=\"\"': an empty line ends the body" {
	p_config
	fr_feed '+ body stop=""\nt hex\n.\nx\ny\n\nz\n'
	assert_success
	assert_output_contains ">> hex=$(p_hex $'x\ny')"
}

@test "'+ body size=N': exactly N raw bytes, CR and '.' lines kept" {
	p_config
	fr_feed '+ body size=6\nt hex\n.\na\r\n.\nbcdef'
	assert_success
	assert_output_contains ">> hex=610d0a2e0a62"
}

@test "'+ body size=0' is an empty body" {
	p_config
	fr_feed '+ session keepalive\n+ body size=0\nt count\n.\nt echo\n.\n.\n'
	assert_success
	assert_output_contains ">> bytes=0"
	fr_codes_are "0 0"
}

@test "'+ body size=+3' is accepted as 3" {
	p_config
	fr_feed '+ body size=+3\nt hex\n.\nabcdef\n'
	assert_success
	assert_output_contains ">> hex=616263"
}

@test "'+ body size=-1' is ignored: no body is read" {
	p_config
	fr_feed '+ session keepalive\n+ body size=-1\nt count\n.\nt echo\n.\n.\n'
	assert_success
	assert_output_contains ">> bytes=0"
	fr_codes_are "0 0"
	fr_last_line_is "#> session closed"
}

@test "malformed '+ body' parameters make the directive unknown: no body (PRO-009)" {
	p_config
	local d
	for d in '+ body size=abc' '+ body size=' '+ body foo=1' '+ body stop="open' '+ body size=3 junk' '+ body stop=FIN'; do
		printf '+ session keepalive\n%s\nt count\n.\nt echo\n.\n.\n' "$d" >"$FR_IN"
		fr_feed <"$FR_IN"
		assert_success
		assert_output_contains ">> bytes=0"
		fr_codes_are "0 0"
	done
}

@test "'+ body size=N' that is not UTF-8 is a body error (132), no stderr" {
	p_config
	fr_feed --diagnostic '+ body size=2\nt count\n.\n\xff\xfe'
	assert_status 132
	[[ $output == "$FR_BANNER"$'\n'"#> body error: I/O error: invalid UTF-8"* ]]
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 4 ]
	fr_stderr_is ""
}

@test "body size=65536 is accepted" {
	p_config
	{ printf '+ body size=65536\nt count\n.\n'; head -c 65536 /dev/zero | tr '\0' a; } >"$FR_IN"
	fr_feed <"$FR_IN"
	assert_success
	assert_output_contains ">> bytes=65536"
}

@test "body size=65537 is rejected (132) with '#> service unavailable' and no stderr" {
	p_config
	{ printf '+ body size=65537\nt count\n.\n'; head -c 65537 /dev/zero | tr '\0' a; } >"$FR_IN"
	fr_feed <"$FR_IN"
	assert_status 132
	assert_output_equals "$FR_BANNER
#> service unavailable"
	fr_stderr_is ""
}

@test "body size=65537 with --diagnostic: '#> body error: body too large (65537 bytes, max 65536)'" {
	p_config
	fr_feed --diagnostic '+ body size=65537\nt count\n.\n'
	assert_status 132
	assert_output_equals "$FR_BANNER
#> body error: body too large (65537 bytes, max 65536)"
	fr_stderr_is ""
}

@test "a line-mode body of 65536 bytes is accepted, 65537 is too large" {
	p_config
	{ printf '+ body\nt count\n.\n'; head -c 65536 /dev/zero | tr '\0' a; printf '\n.\n'; } >"$FR_IN"
	fr_feed <"$FR_IN"
	assert_success
	assert_output_contains ">> bytes=65536"
	{ printf '+ body\nt count\n.\n'; head -c 65537 /dev/zero | tr '\0' a; printf '\n.\n'; } >"$FR_IN"
	fr_feed --diagnostic <"$FR_IN"
	assert_status 132
	assert_output_equals "$FR_BANNER
#> body error: body too large (65537 bytes, max 65536)"
	fr_stderr_is ""
}

@test "a line-mode body over 65536 bytes in many lines is a body error (132)" {
	p_config
	{
		printf '+ body stop="END"\nt count\n.\n'
		for ((i = 0; i < 70; i++)); do printf '%01000d\n' 0; done
		printf 'END\n'
	} >"$FR_IN"
	fr_feed --diagnostic <"$FR_IN"
	assert_status 132
	[[ ${lines[3]} == "#> body error: body too large ("*" bytes, max 65536)" ]]
	assert_output_not_contains ">>"
}

@test "EOF inside a body is a body error (132): 'unexpected EOF'" {
	p_config
	fr_feed --diagnostic '+ body\nt count\n.\nhello\n'
	assert_status 132
	assert_output_equals "$FR_BANNER
#> body error: unexpected EOF"
	fr_feed '+ body size=10\nt count\n.\nabc'
	assert_status 132
	assert_output_equals "$FR_BANNER
#> service unavailable"
	fr_stderr_is ""
}

@test "the body is read before resolution: consumed even when the command is rejected" {
	p_config
	fr_feed '+ session keepalive\n+ body\nt nope\n.\nt echo\n.\nt fail\n.\n.\n'
	assert_status 128
	fr_codes_are "128 3"
	[ "$(fr_json 0 status_message)" = "rejected: unknown action 'nope' in domain 't'" ]
	fr_feed '+ session keepalive\n+ body size=7\nt ops\n.\nt echo\nt fail\n.\n.\n'
	assert_status 131
	fr_codes_are "131 3"
}

@test "the body goes only to the first command of a chain" {
	p_config
	fr_feed '+ body\nt hex ; t hex\n.\nhello\n.\n'
	assert_success
	assert_output_contains ">> hex=$(p_hex hello)
>>> "
	assert_line_equals 5 ">> hex="
	fr_feed '+ body\nt hex & t count\n.\nhello\n.\n'
	assert_success
	assert_output_contains ">> bytes=0"
}

@test "the body goes to the left of '|', never to the recovery command" {
	p_config
	fr_feed '+ body\nt nope | t hex\n.\nhello\n.\n'
	assert_success
	fr_codes_are "128 0"
	assert_output_contains ">> hex="$'\n'">>> "
	assert_output_not_contains "$(p_hex hello)"
}

@test "'+ body size=N stop=\"X\"': ends at X when X comes first" {
	p_config
	fr_feed '+ body size=100 stop="END"\nt hex\n.\nab\ncd\nEND\n'
	assert_success
	assert_output_contains ">> hex=$(p_hex $'ab\ncd')"
}

@test "'+ body size=N stop=\"X\"': truncated to N bytes when N comes first" {
	p_config
	fr_feed '+ body size=5 stop="END"\nt hex\n.\nhello world\nEND\n'
	assert_success
	assert_output_contains ">> hex=$(p_hex hello)"
	fr_feed '+ body size=4 stop="END"\nt hex\n.\nab\ncdef\nEND\n'
	assert_success
	assert_output_contains ">> hex=$(p_hex $'ab\nc')"
}

@test "'+ body size=N stop=\"X\"' with N over 65536 is capped, not rejected" {
	p_config
	fr_feed '+ body size=999999 stop="END"\nt hex\n.\nab\nEND\n'
	assert_success
	assert_output_contains ">> hex=$(p_hex ab)"
	{ printf '+ body size=999999 stop="END"\nt count\n.\n'; printf '%070000d\n' 0; printf 'END\n'; } >"$FR_IN"
	fr_feed <"$FR_IN"
	assert_success
	assert_output_contains ">> bytes=65536"
}

@test "decision 4: a 2-byte UTF-8 character straddling N is dropped whole, no crash" {
	p_config
	fr_feed '+ body size=2 stop="END"\nt hex\n.\na\xc3\xa9\nEND\n'
	assert_success
	assert_output_contains ">> hex=61"$'\n'">>> "
	fr_feed '+ body size=1 stop="END"\nt hex\n.\n\xc3\xa9\nEND\n'
	assert_success
	assert_output_contains ">> hex="$'\n'">>> "
}

@test "decision 4: a 3-byte character straddling N is dropped whole" {
	p_config
	local n
	for n in 2 3; do
		fr_feed '+ body size=%s stop="END"\nt hex\n.\na\xe2\x82\xac\nEND\n' "$n"
		assert_success
		assert_output_contains ">> hex=61"$'\n'">>> "
	done
}

@test "decision 4: a 4-byte character straddling N is dropped whole, wherever N cuts it" {
	p_config
	local n
	for n in 3 4 5; do
		fr_feed '+ body size=%s stop="END"\nt hex\n.\nab\xf0\x9f\x98\x80\nEND\n' "$n"
		assert_success
		assert_output_contains ">> hex=6162"$'\n'">>> "
	done
}

@test "decision 4: a 2-byte character straddling N after other multi-byte characters is dropped whole" {
	p_config
	fr_feed '+ body size=5 stop="END"\nt hex\n.\n\xc3\xa9\xc3\xa9\xc3\xa9\nEND\n'
	assert_success
	assert_output_contains ">> hex=c3a9c3a9"$'\n'">>> "
}

@test "a body the command does not read gives 133 (SIGPIPE ignored), never a crash" {
	p_config
	{ printf '+ body size=61440\nt true\n.\n'; head -c 61440 /dev/zero | tr '\0' a; } >"$FR_IN"
	# The body pipe holds one page, so a 60 KiB body the child never reads
	# is a 133 every time (the anchor races: its pipe takes 64 KiB).
	fr_feed <"$FR_IN"
	assert_status 133
	fr_response_is 0 '{"command":"t true","status_code":133,"status_message":"stdin closed: target process closed stdin before body was fully written","stdout":null,"stderr":null}'
}

@test "a body to a command that reads it all is delivered whole (64 KiB, no deadlock with output)" {
	p_config "" '[domains.t.actions.cat]
description = "cat"
level = "read"
execute = "/bin/cat"'
	{ printf '+ body size=65536\nt cat\n.\n'; for ((i = 0; i < 1024; i++)); do printf '%063d\n' "$i"; done; } >"$FR_IN"
	fr_feed <"$FR_IN"
	assert_success
	[ "$(printf '%s\n' "$output" | grep -c '^>> 0')" -eq 1024 ]
	assert_line_equals 3 ">> $(printf '%063d' 0)"
}

# ---------------------------------------------------------------- session loop

@test "session: keepalive runs several blocks, '.' answers '#> session closed' (SES-002)" {
	p_config
	fr_feed '+ session keepalive\nt echo\n.\nt echo\n.\n\n# a comment\n\nt fail\n.\nt echo\n.\n.\n'
	assert_success
	fr_codes_are "0 0 3 0"
	fr_last_line_is "#> session closed"
	fr_stderr_is ""
}

@test "session: 'exit' answers ok and does not end the session" {
	p_config
	fr_feed '+ session keepalive\nexit\n.\nt echo\n.\nexit\n.\n.\n'
	assert_success
	fr_response_is 0 '{"command":"exit","status_code":0,"status_message":"ok","stdout":null,"stderr":null}'
	fr_response_is 1 "$OK_ECHO"
	fr_response_is 2 '{"command":"exit","status_code":0,"status_message":"ok","stdout":null,"stderr":null}'
	fr_last_line_is "#> session closed"
}

@test "session: the exit code is the first block's, later blocks never change it" {
	p_config
	fr_feed '+ session keepalive\nt fail\n.\nt echo\n.\n.\n'
	assert_status 3
	fr_codes_are "3 0"
	fr_feed '+ session keepalive\nt echo\n.\nt fail\n.\nt nope\n.\n.\n'
	assert_success
	fr_codes_are "0 3 128"
}

@test "session: EOF ends it silently" {
	p_config
	fr_feed '+ session keepalive\nt fail\n.\nt echo\n.\n'
	assert_status 3
	fr_last_line_is ">>> $OK_ECHO"
	assert_output_not_contains "session closed"
	fr_stderr_is ""
}

@test "session: a too-long line is '#> protocol error: ...' (always detailed), the session ends, the exit code stays" {
	p_config
	{ printf '+ session keepalive\nt fail\n.\n'; printf '%4096s\n' x; printf 't echo\n.\n.\n'; } >"$FR_IN"
	fr_feed <"$FR_IN"
	assert_status 3
	fr_codes_are "3"
	fr_last_line_is "#> protocol error: line too long (4097 chars, max 4096)"
	fr_stderr_is ""
}

@test "session: a header inside a block is '#> protocol error: invalid protocol line: ...'" {
	p_config
	fr_feed '+ session keepalive\nt echo\n.\nt echo\n+ session keepalive\n.\nt echo\n.\n.\n'
	assert_success
	fr_codes_are "0"
	fr_last_line_is "#> protocol error: invalid protocol line: expected command text or '.', got header/comment"
}

@test "session: invalid UTF-8 is '#> protocol error: I/O error: stream did not contain valid UTF-8'" {
	p_config
	fr_feed '+ session keepalive\nt fail\n.\nt \xff\n.\nt echo\n.\n.\n'
	assert_status 3
	fr_codes_are "3"
	fr_last_line_is "#> protocol error: I/O error: stream did not contain valid UTF-8"
}

@test "session: a body error is '#> protocol error: body too large (...)' and ends the session" {
	p_config
	fr_feed '+ session keepalive\nt echo\n.\n+ body size=65537\nt count\n.\nt echo\n.\n.\n'
	assert_success
	fr_codes_are "0"
	fr_last_line_is "#> protocol error: body too large (65537 bytes, max 65536)"
	fr_stderr_is ""
}

@test "session: '+ body' applies to the next block only" {
	p_config
	fr_feed '+ session keepalive\nt echo\n.\n+ body\nt hex\n.\nabc\n.\nt hex\n.\n.\n'
	assert_success
	fr_codes_are "0 0 0"
	assert_output_contains ">> hex=616263"
	[ "$(printf '%s\n' "$output" | grep -c '^>> hex=$')" -eq 1 ]
}

@test "session: the header-phase body is for the first block only (SES-008, BOD-005)" {
	p_config
	fr_feed '+ session keepalive\n+ body\nt hex\n.\nabc\n.\nt hex\n.\n.\n'
	assert_success
	fr_codes_are "0 0"
	assert_line_equals 3 ">> hex=616263"
	assert_line_equals 5 ">> hex="
}

@test "session quirk: a comment between '+ body' and its block discards the pending body" {
	p_config
	fr_feed '+ session keepalive\nt echo\n.\n+ body\n# note\nt count\n.\nhello\n.\n.\n'
	assert_success
	fr_codes_are "0 0 128"
	assert_output_contains ">> bytes=0"
	[ "$(fr_json 2 command)" = "hello" ]
	fr_last_line_is "#> session closed"
}

@test "session: '+ session keepalive' repeated, unknown directives and blank lines are ignored (SES-009)" {
	p_config
	fr_feed '+ session keepalive\n+ session keepalive\nt echo\n.\n+ session keepalive\n+ what\n\n\nt echo\n.\n.\n'
	assert_success
	fr_codes_are "0 0"
	fr_last_line_is "#> session closed"
}

@test "session: 'help' works inside the session (SES-010)" {
	p_config
	fr_feed '+ session keepalive\nt echo\n.\nhelp\n.\nt echo\n.\n.\n'
	assert_success
	fr_codes_are "0 0 0"
	[ "$(fr_json 1 command)" = "help" ]
	assert_output_contains "#> ssh-frontiere 3.1.0 — SSH command dispatcher"
}

@test "session: a '+ session keepalive' after the first block of a one-shot run is never read (SES-004)" {
	p_config
	fr_feed 't echo\n.\n+ session keepalive\nt echo\n.\n.\n'
	assert_success
	fr_codes_are "0"
	assert_output_not_contains "session closed"
}

@test "decision 7: an idle client gets '#> session timeout' after timeout_session, exit code = first block's" {
	p_config "timeout_session = 1"
	fr_start --config="$FR_CONF"
	fr_send '+ session keepalive\nt fail\n.\n'
	# stdin stays open and idle: the program must end the session by itself
	fr_finish keep
	assert_status 3
	fr_codes_are "3"
	fr_last_line_is "#> session timeout"
}

@test "session timeout: a block read after the deadline is not run" {
	p_config "timeout_session = 1" '[domains.t.actions.slow]
description = "Outlives the session deadline"
level = "read"
execute = "/bin/sleep 1.5"'
	fr_feed '+ session keepalive\nt echo\n.\nt slow\n.\nt echo\n.\n.\n'
	assert_success
	fr_codes_are "0 0"
	[ "$(fr_json 1 command)" = "t slow" ]
	fr_last_line_is "#> session timeout"
}

@test "session timeout: commands sent before the deadline run normally (TMO-003)" {
	p_config "timeout_session = 30"
	fr_feed '+ session keepalive\nt echo\n.\nt echo\n.\n.\n'
	assert_success
	fr_codes_are "0 0"
	assert_output_not_contains "session timeout"
}

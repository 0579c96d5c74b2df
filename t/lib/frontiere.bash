# shellcheck shell=bash disable=SC2154,SC2034
# t/lib/frontiere.bash -- helpers for the frontiere-dispatch tests.
#
# Setup and configuration
#   fr_setup                 bssh_setup, plus FR_STUBS (t/frontiere/stubs),
#                            FR_LOG (the log file of fr_config's [global]),
#                            FR_CONF, FR_IN (an input file) and a clean
#                            environment for the program
#   fr_teardown              stop a program fr_start left running
#   FR_BANNER, FR_BANNER_AUTH
#                            the three banner lines without and with [auth]
#                            (no nonce, no session line)
#   fr_config [--raw] [FILE] <<EOF
#                            write a config; [global] with log_file = $FR_LOG
#                            is prepended unless the text has its own [global]
#                            or --raw is given (FILE defaults to $FR_CONF)
#   fr_domains               the TOML of domain t: actions echo (read,
#                            /bin/echo hello), ops (ops, /bin/echo ops) and
#                            admin (admin, /bin/echo admin)
#   fr_action D.A DESCRIPTION LEVEL EXECUTE [LINE...] [-- ARG-LINE...]
#                            the TOML of action A of domain D: its
#                            description, level, execute and other LINEs,
#                            then its [...args] table of ARG-LINEs if any
#
# Running the program
#   fr_run ARGS... <<EOF     run frontiere-dispatch ARGS with that stdin under
#                            bats `run' (stdout only in $output; stderr in
#                            $BSSH_TMP/stderr), bounded by timeout 20; env is
#                            cleared except PATH and FR_ENV: a string of
#                            NAME=VALUE words, or an array of them (values
#                            may then hold spaces); with FR_ARGV0 set the
#                            program gets it as argv[0]
#   fr_in FORMAT [ARG...]    printf FORMAT ARG... into $FR_IN
#   fr_feed [-OPT...] [FORMAT [ARG...]]
#                            fr_run -OPT... --config=$FR_CONF; its stdin is
#                            printf FORMAT ARG... (FORMAT must not begin with
#                            '-'), or the caller's stdin without a FORMAT
#   fr_start ARGS...         start frontiere-dispatch ARGS in the background,
#                            stdin a FIFO held open by the test, stdout in
#                            $BSSH_TMP/out, stderr in $BSSH_TMP/stderr, env
#                            as for fr_run (timeout 20)
#   fr_send FORMAT [ARG...]  write printf FORMAT ARG... to its stdin
#   fr_wait_for STR [N]      wait (at most 10 s) until stdout holds the fixed
#                            string STR on N lines (default 1)
#   fr_finish [keep]         close its stdin (unless keep), wait for it and set
#                            status, output and lines as bats `run' does
#   fr_nonce_run TOKEN SECRET COMMANDS ARGS...
#                            run frontiere-dispatch ARGS under `run': read the
#                            banner, answer its challenge nonce with a proof
#                            computed in python3 (simple-mode proof without a
#                            nonce), then send COMMANDS; output is all stdout
#   fr_proof SECRET [NONCE]  the proof, computed by frontiere-proof
#   fr_sproof SECRET         the simple-mode proof (hex SHA-256 of SECRET),
#                            computed by sha256sum
#
# Reading the result
#   fr_stderr                the program's stderr
#   fr_stderr_is STR         ... is exactly STR (fr_stderr_is "": empty)
#   fr_responses             the >>> lines of $output, prefix removed
#   fr_response I            the I-th (0-based) of them
#   fr_response_is I JSON    ... is exactly JSON
#   fr_nresp                 how many >>> lines there are
#   fr_json I KEY            KEY of the I-th (0-based) >>> response (python3)
#   fr_message_is I MSG      the status_message of the I-th response is MSG
#   fr_denied NEED HAVE      the message "rejected: insufficient level (NEED
#                            required, HAVE granted)"
#   fr_reply CMD MSG [CODE]  the JSON of a response with null stdout and
#                            stderr (CODE defaults to 128)
#   fr_codes                 the status codes of the >>> lines, space separated
#   fr_codes_are "C1 C2..."  ... are exactly these
#   fr_stream                the >> and >>! lines of $output
#   fr_after_banner          the lines of $output after the banner
#   fr_last_line_is STR      the last line of $output is STR
#   fr_comments              the #> lines of $output, prefix removed, but for
#                            the two of the banner
#   fr_comments_are STR      ... are exactly STR
#   expect_eq ACTUAL EXPECTED, expect_text ACTUAL EXPECTED (diff on failure),
#   expect_prefix ACTUAL PREFIX
#                            string comparisons that explain a failure
#   expect_config_error [--raw] MSG <<EOF
#                            the config (written by fr_config [--raw]) is
#                            refused by --diagnostic --check-config: exit 129,
#                            no stdout, one stderr line
#                            "frontiere-dispatch: error: MSG"; a MSG ending
#                            in '*' is a prefix that must be followed by text
#   expect_config_ok         --diagnostic --check-config on $FR_CONF: exit 0,
#                            stdout "Config OK: $FR_CONF"

FR_BANNER='#> ssh-frontiere 3.1.0
+> capabilities session, help, body
#> type "help" for available commands'
FR_BANNER_AUTH='#> ssh-frontiere 3.1.0
+> capabilities rbac, session, help, body
#> type "help" for available commands'

fr_setup() {
	bssh_setup
	FR_STUBS=${BSSH_SRCDIR:-$BATS_TEST_DIRNAME/..}/t/frontiere/stubs
	FR_LOG=$BSSH_TMP/log/commands.json
	FR_CONF=$BSSH_TMP/config.toml
	FR_IN=$BSSH_TMP/in
	FR_PID=
	FR_FD=
	export FR_STUBS FR_LOG FR_CONF
}

fr_teardown() {
	if [[ -n ${FR_PID:-} ]]; then
		kill "$FR_PID" 2>/dev/null || true
		wait "$FR_PID" 2>/dev/null || true
	fi
}

fr_config() {
	local raw='' file text
	if [[ ${1:-} == --raw ]]; then
		raw=1
		shift
	fi
	file=${1:-$FR_CONF}
	text=$(cat)
	if [[ -z $raw ]] && ! grep -q '^\[global\]' <<<"$text"; then
		text=$(printf '[global]\nlog_file = "%s"\n\n%s' "$FR_LOG" "$text")
	fi
	printf '%s\n' "$text" >"$file"
}

fr_domains() {
	cat <<EOF
[domains.t]
description = "Test domain"

[domains.t.actions.echo]
description = "Say hello"
level = "read"
execute = "/bin/echo hello"

[domains.t.actions.ops]
description = "Ops action"
level = "ops"
execute = "/bin/echo ops"

[domains.t.actions.admin]
description = "Admin action"
level = "admin"
execute = "/bin/echo admin"
EOF
}

fr_action() {
	local name=$1
	printf '[domains.%s.actions.%s]\ndescription = "%s"\nlevel = "%s"\nexecute = "%s"\n' \
		"${name%%.*}" "${name#*.}" "$2" "$3" "$4"
	shift 4
	while [[ $# -gt 0 && $1 != -- ]]; do
		printf '%s\n' "$1"
		shift
	done
	if [[ $# -gt 0 ]]; then
		printf '[domains.%s.actions.%s.args]\n' "${name%%.*}" "${name#*.}"
		printf '%s\n' "${@:2}"
	fi
}

# _fr_env: the NAME=VALUE words of FR_ENV (a string or an array) in _fr_envv.
_fr_env() {
	_fr_envv=()
	if [[ $(declare -p FR_ENV 2>/dev/null) == "declare -a"* ]]; then
		_fr_envv=("${FR_ENV[@]}")
	elif [[ -n ${FR_ENV:-} ]]; then
		read -ra _fr_envv <<<"$FR_ENV"
	fi
}

# Run under bats `run' with stdin from the caller; stderr kept apart (bats
# merges a command's stderr into $output, so the redirection is inside).
# dash's exec has no -a, so bash runs the program when FR_ARGV0 is set.
fr_run() {
	local _fr_envv sh=sh
	_fr_env
	[[ -z ${FR_ARGV0:-} ]] || sh=bash
	# shellcheck disable=SC2016
	run timeout 20 env -i PATH="$PATH" "${_fr_envv[@]}" "$sh" -c \
		'f=$1 a=$2; shift 2; exec ${a:+-a "$a"} frontiere-dispatch "$@" 2>"$f"' \
		fr_run "$BSSH_TMP/stderr" "${FR_ARGV0:-}" "$@"
}

fr_in() {
	# shellcheck disable=SC2059
	printf "$@" >"$FR_IN"
}

fr_feed() {
	local opts=()
	while [[ $# -gt 0 && $1 == -* ]]; do
		opts+=("$1")
		shift
	done
	if [[ $# -gt 0 ]]; then
		fr_in "$@"
		fr_run "${opts[@]}" --config="$FR_CONF" <"$FR_IN"
	else
		fr_run "${opts[@]}" --config="$FR_CONF"
	fi
}

fr_start() {
	local _fr_envv
	_fr_env
	trap '' PIPE
	mkfifo "$BSSH_TMP/fifo"
	timeout 20 env -i PATH="$PATH" "${_fr_envv[@]}" frontiere-dispatch "$@" \
		<"$BSSH_TMP/fifo" >"$BSSH_TMP/out" 2>"$BSSH_TMP/stderr" 3>&- &
	FR_PID=$!
	exec {FR_FD}>"$BSSH_TMP/fifo"
}

fr_send() {
	# shellcheck disable=SC2059
	printf "$@" >&"$FR_FD"
}

fr_wait_for() {
	local i n
	for ((i = 0; i < 100; i++)); do
		n=$(grep -cF -- "$1" "$BSSH_TMP/out" 2>/dev/null || true)
		[[ ${n:-0} -ge ${2:-1} ]] && return 0
		sleep 0.1
	done
	printf 'timed out waiting for: %s\nstdout so far:\n%s\n' "$1" "$(cat "$BSSH_TMP/out")" >&2
	return 1
}

fr_finish() {
	if [[ ${1:-} != keep && -n $FR_FD ]]; then
		exec {FR_FD}>&-
		FR_FD=
	fi
	status=0
	wait "$FR_PID" || status=$?
	FR_PID=
	if [[ -n $FR_FD ]]; then
		exec {FR_FD}>&-
		FR_FD=
	fi
	output=$(cat "$BSSH_TMP/out")
	mapfile -t lines <"$BSSH_TMP/out"
}

fr_nonce_run() {
	cat >"$BSSH_TMP/nonce.py" <<'PY'
import hashlib, os, subprocess, sys
token, secret, cmds = sys.argv[1], sys.argv[2].encode(), sys.argv[3]
p = subprocess.Popen(["frontiere-dispatch"] + sys.argv[4:], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, env={"PATH": os.environ["PATH"]})
seen, nonce = [], None
for _ in range(10):
    line = p.stdout.readline()
    if not line:
        break
    seen.append(line)
    if line.startswith(b"+> challenge nonce="):
        nonce = bytes.fromhex(line.decode().split("=", 1)[1].strip())
    if line.startswith(b'#> type "help"'):
        break
if nonce is None:
    proof = hashlib.sha256(secret).hexdigest()
else:
    plain, ks, c = secret + nonce, b"", 0
    while len(ks) < len(plain):
        ks += hashlib.sha256(secret + bytes([c & 0xFF])).digest()
        c += 1
    proof = hashlib.sha256(bytes(a ^ b for a, b in zip(plain, ks))).hexdigest()
p.stdin.write(("+ auth token=%s proof=%s\n%s" % (token, proof, cmds)).encode())
p.stdin.close()
rest = p.stdout.read()
sys.stdout.buffer.write(b"".join(seen) + rest)
sys.exit(p.wait())
PY
	local token=$1 secret=$2 cmds=$3
	shift 3
	run timeout 20 python3 "$BSSH_TMP/nonce.py" "$token" "$secret" "$cmds" "$@"
}

fr_proof() {
	if [[ $# -gt 1 ]]; then
		frontiere-proof --secret "$1" --nonce "$2"
	else
		frontiere-proof --secret "$1"
	fi
}

fr_sproof() {
	printf %s "$1" | sha256sum | cut -d' ' -f1
}

fr_stderr() {
	cat "$BSSH_TMP/stderr"
}

fr_stderr_is() {
	local got
	got=$(fr_stderr)
	if [[ $got != "$1" ]]; then
		printf 'expected stderr: %s\ngot stderr: %s\n' "$1" "$got" >&2
		_bssh_diag "stderr mismatch"
		return 1
	fi
}

fr_responses() {
	printf '%s\n' "$output" | sed -n 's/^>>> //p'
}

fr_response() {
	fr_responses | sed -n "$(($1 + 1))p"
}

fr_response_is() {
	expect_eq "$(fr_response "$1")" "$2"
}

fr_nresp() {
	printf '%s\n' "$output" | grep -c '^>>> ' || true
}

fr_json() {
	fr_responses | sed -n "$(($1 + 1))p" |
		python3 -c 'import json,sys; v=json.load(sys.stdin)[sys.argv[1]]; print("null" if v is None else v)' "$2"
}

fr_message_is() {
	expect_eq "$(fr_json "$1" status_message)" "$2"
}

fr_denied() {
	printf 'rejected: insufficient level (%s required, %s granted)' "$1" "$2"
}

fr_reply() {
	printf '{"command":"%s","status_code":%s,"status_message":"%s","stdout":null,"stderr":null}' \
		"$1" "${3:-128}" "$2"
}

fr_codes() {
	fr_responses | sed 's/.*"status_code":\([0-9]*\),.*/\1/' | tr '\n' ' ' | sed 's/ $//'
}

fr_codes_are() {
	expect_eq "$(fr_codes)" "$1"
}

fr_stream() {
	printf '%s\n' "$output" | grep -a '^>>' | grep -av '^>>> ' || true
}

fr_after_banner() {
	printf '%s\n' "$output" | sed '1,/^#> type "help" for available commands$/d'
}

fr_last_line_is() {
	expect_eq "$(printf '%s\n' "$output" | tail -n 1)" "$1"
}

fr_comments() {
	printf '%s\n' "$output" | sed -n 's/^#> //p' |
		grep -v -e '^ssh-frontiere 3\.1\.0$' -e '^type "help" for available commands$' || true
}

fr_comments_are() {
	expect_text "$(fr_comments)" "$1"
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

expect_prefix() {
	if [[ $1 != "$2"* ]]; then
		printf 'expected prefix: <%s>\nactual: <%s>\n' "$2" "$1" >&2
		_bssh_diag "prefix mismatch"
		return 1
	fi
}

expect_config_error() {
	local raw=() want got
	if [[ $1 == --raw ]]; then
		raw=(--raw)
		shift
	fi
	want="frontiere-dispatch: error: $1"
	fr_config "${raw[@]}"
	fr_run --diagnostic --check-config --config="$FR_CONF" </dev/null
	assert_status 129
	assert_output_equals ""
	expect_eq "$(fr_stderr | wc -l)" 1
	got=$(fr_stderr)
	if [[ $want == *'*' ]]; then
		expect_prefix "$got" "${want%'*'}"
		[[ ${#got} -gt $((${#want} - 1)) ]] || { _bssh_diag "nothing after: $want"; return 1; }
	else
		fr_stderr_is "$want"
	fi
}

expect_config_ok() {
	fr_run --diagnostic --check-config --config="$FR_CONF" </dev/null
	assert_success
	assert_output_equals "Config OK: $FR_CONF"
}

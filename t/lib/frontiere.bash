# shellcheck shell=bash disable=SC2154
# t/lib/frontiere.bash -- helpers for the frontiere-dispatch tests.
#
#   fr_setup                 bssh_setup, plus FR_STUBS (t/frontiere/stubs),
#                            FR_LOG (the log file of fr_config's [global]) and
#                            a clean environment for the program
#   fr_config [FILE] <<EOF   write a config; [global] with log_file = $FR_LOG
#                            is prepended unless the text has its own [global]
#                            (FILE defaults to $BSSH_TMP/config.toml)
#   fr_run ARGS... <<EOF     run frontiere-dispatch ARGS with that stdin under
#                            bats `run' (stdout only in $output; stderr in
#                            $BSSH_TMP/stderr); env is cleared except PATH
#   fr_responses             the >>> lines of $output, prefix removed
#   fr_json I KEY            KEY of the I-th (0-based) >>> response (python3)
#   fr_proof SECRET [NONCE]  the proof, computed by frontiere-proof

fr_setup() {
	bssh_setup
	FR_STUBS=${BSSH_SRCDIR:-$BATS_TEST_DIRNAME/..}/t/frontiere/stubs
	FR_LOG=$BSSH_TMP/log/commands.json
	FR_CONF=$BSSH_TMP/config.toml
	export FR_STUBS FR_LOG FR_CONF
}

fr_config() {
	local file=${1:-$FR_CONF} text
	text=$(cat)
	if ! grep -q '^\[global\]' <<<"$text"; then
		text=$(printf '[global]\nlog_file = "%s"\n\n%s' "$FR_LOG" "$text")
	fi
	printf '%s\n' "$text" >"$file"
}

# Run under bats `run' with stdin from the caller; stderr kept apart (bats
# merges a command's stderr into $output, so the redirection is inside).
fr_run() {
	# shellcheck disable=SC2086
	run env -i PATH="$PATH" ${FR_ENV:-} sh -c 'f=$1; shift; exec frontiere-dispatch "$@" 2>"$f"' \
		fr_run "$BSSH_TMP/stderr" "$@"
}

fr_stderr() {
	cat "$BSSH_TMP/stderr"
}

fr_responses() {
	printf '%s\n' "$output" | sed -n 's/^>>> //p'
}

fr_json() {
	fr_responses | sed -n "$(($1 + 1))p" |
		python3 -c 'import json,sys; v=json.load(sys.stdin)[sys.argv[1]]; print("null" if v is None else v)' "$2"
}

fr_proof() {
	if [[ $# -gt 1 ]]; then
		frontiere-proof --secret "$1" --nonce "$2"
	else
		frontiere-proof --secret "$1"
	fi
}

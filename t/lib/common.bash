# shellcheck shell=bash disable=SC2154
# t/lib/common.bash -- small shared helpers for the bats tests.
#
#   bssh_setup                 per-test sandbox: BSSH_TMP (temp dir), HOME (empty,
#                              with .ssh mode 700), no SSH agent, NO_COLOR=1,
#                              in-tree t/helpers appended to PATH as a fallback
#   assert_success             status == 0
#   assert_failure             status != 0
#   assert_status N            status == N
#   assert_output_equals STR   output == STR
#   assert_output_contains STR output contains STR (fixed string)
#   assert_output_not_contains STR
#   assert_line_count N        ${#lines[@]} == N
#   assert_line_equals I STR   lines[I] == STR
#
# Every assertion prints status and output on stderr and returns 1 on failure,
# so bats fails the test and shows why.

_bssh_t_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

bssh_setup() {
	local base=${BATS_TEST_TMPDIR:-}
	if [[ -z $base ]]; then
		base=$(mktemp -d "${TMPDIR:-/tmp}/bssh-test.XXXXXX") || return 1
	fi
	BSSH_TMP=$base/tmp
	mkdir -p "$BSSH_TMP" "$base/home/.ssh" || return 1
	chmod 700 "$base/home" "$base/home/.ssh" || return 1
	HOME=$base/home
	export BSSH_TMP HOME
	unset SSH_AUTH_SOCK SSH_AGENT_PID SSH_ASKPASS SSH_ASKPASS_REQUIRE
	export NO_COLOR=1
	# the machine's /etc/ssh/ssh_config (HashKnownHosts, SendEnv...) is not ours
	export BSSH_SYSTEM_SSH_CONFIG=none
	# Built helpers: `make check` puts them first on PATH; this fallback
	# lets a plain `bats t/...` find an in-tree build.
	case ":$PATH:" in
	*":$_bssh_t_dir/helpers:"*) ;;
	*) PATH=$PATH:$_bssh_t_dir/helpers ;;
	esac
	export PATH
}

# _bssh_nlines: ${#lines[@]}, 0 when unset (set -u safe).
_bssh_nlines() {
	if declare -p lines >/dev/null 2>&1; then
		echo "${#lines[@]}"
	else
		echo 0
	fi
}

_bssh_diag() {
	{
		printf '%s\n' "$*"
		printf 'status=%s\n' "${status-<unset>}"
		printf 'output (%s lines):\n%s\n' "$(_bssh_nlines)" "${output-<unset>}"
	} >&2
}

assert_success() {
	if [[ ${status-} != 0 ]]; then
		_bssh_diag "expected success"
		return 1
	fi
}

assert_failure() {
	if [[ -z ${status-} || ${status-} == 0 ]]; then
		_bssh_diag "expected failure"
		return 1
	fi
}

assert_status() {
	if [[ ${status-} != "$1" ]]; then
		_bssh_diag "expected status $1"
		return 1
	fi
}

assert_output_equals() {
	if [[ ${output-} != "$1" ]]; then
		_bssh_diag "expected output: $1"
		return 1
	fi
}

assert_output_contains() {
	if [[ ${output-} != *"$1"* ]]; then
		_bssh_diag "expected output to contain: $1"
		return 1
	fi
}

assert_output_not_contains() {
	if [[ ${output-} == *"$1"* ]]; then
		_bssh_diag "expected output NOT to contain: $1"
		return 1
	fi
}

assert_line_count() {
	local n
	n=$(_bssh_nlines)
	if [[ $n != "$1" ]]; then
		_bssh_diag "expected $1 lines, got $n"
		return 1
	fi
}

assert_line_equals() {
	if [[ ${lines[$1]-<missing>} != "$2" ]]; then
		_bssh_diag "expected line $1 to be: $2"
		return 1
	fi
}

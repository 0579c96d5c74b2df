#!/usr/bin/env bats
# Every program has a man page with the sections the project promises,
# the pages lint clean, and every program answers --help and a bad option
# the documented way.

load lib/common

SRC=${BSSH_SRCDIR:-$BATS_TEST_DIRNAME/..}

programs() {
	local f
	for f in "$SRC"/bin/*.c "$SRC"/libexec/*.c; do
		[ -e "$f" ] || continue
		f=${f##*/}
		echo "${f%.c}"
	done
}

page_of() {
	ls "$SRC"/man/"$1".[1-8] 2>/dev/null | head -n 1
}

@test "every program has a man page with NAME, SYNOPSIS, FILE DESCRIPTORS, ENVIRONMENT, EXIT STATUS" {
	for p in $(programs); do
		page=$(page_of "$p")
		[ -n "$page" ] || { echo "no man page for $p" >&2; return 1; }
		for sec in NAME SYNOPSIS "FILE DESCRIPTORS" ENVIRONMENT "EXIT STATUS"; do
			grep -q "^\.Sh $sec\$" "$page" || { echo "$page: no $sec section" >&2; return 1; }
		done
	done
}

@test "the overview page bssh(7) names every program" {
	for p in $(programs); do
		grep -q "$p" "$SRC/man/bssh.7" || { echo "bssh.7 does not mention $p" >&2; return 1; }
	done
}

@test "man pages lint clean with mandoc" {
	command -v mandoc >/dev/null || skip "mandoc not installed"
	for page in "$SRC"/man/*.[1-8]; do
		run mandoc -Tlint -Wwarning "$page"
		[ "$status" -eq 0 ] || { echo "$page: $output" >&2; return 1; }
	done
}

@test "every program answers --help on stdout with status 0" {
	for p in $(programs); do
		run "$p" --help
		[ "$status" -eq 0 ] || { echo "$p --help: $status $output" >&2; return 1; }
		[[ $output == *usage* ]] || { echo "$p --help: no usage" >&2; return 1; }
	done
}

@test "a bad option gets a one-line 'prog: ...' error" {
	run bssh --no-such-option
	assert_status 255
	assert_output_equals "bssh: --no-such-option: unknown option (try --help)"
	run bssh-exec --no-such-option host
	assert_status 255
	assert_output_equals "bssh-exec: --no-such-option: unknown option (try --help)"
	run bssh-hostlist --no-such-option
	assert_status 100
}

@test "README names the two set-up commands" {
	grep -q '^./quickstart demo' "$SRC/README.md"
	grep -q '^./quickstart test' "$SRC/README.md"
}

@test "flake.nix parses (nix-instantiate --parse)" {
	command -v nix-instantiate >/dev/null || skip "nix-instantiate not installed (Debian: nix-bin)"
	run nix-instantiate --store dummy:// --parse "$SRC/flake.nix"
	assert_success
}

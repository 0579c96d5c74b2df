#!/usr/bin/env bats
# A short libFuzzer run of every parser (the long campaign is `make fuzz').
# The targets exist when configure found clang; otherwise this skips.

load lib/common

setup() {
	bssh_setup
	FUZZ_BIN=${BSSH_BUILDDIR:-$BATS_TEST_DIRNAME/..}/t/fuzz
	FUZZ_SRC=${BSSH_SRCDIR:-$BATS_TEST_DIRNAME/..}/t/fuzz
}

fuzz_briefly() {
	local name=$1 bin=$FUZZ_BIN/$1
	[ -x "$bin" ] || skip "$name not built (no clang)"
	mkdir -p "$BSSH_TMP/corpus"
	cp "$FUZZ_SRC/corpus/$name"/* "$BSSH_TMP/corpus/"
	run "$bin" -max_total_time=5 -rss_limit_mb=1024 -artifact_prefix="$BSSH_TMP/" "$BSSH_TMP/corpus"
	if [ "$status" -ne 0 ]; then
		echo "$output" | tail -n 30 >&2
		return 1
	fi
}

@test "fuzz_hostlist runs clean for 5 s" {
	fuzz_briefly fuzz_hostlist
}

@test "fuzz_knownhosts runs clean for 5 s" {
	fuzz_briefly fuzz_knownhosts
}

@test "fuzz_sshconfig runs clean for 5 s" {
	fuzz_briefly fuzz_sshconfig
}

@test "fuzz_yamlconf runs clean for 5 s" {
	fuzz_briefly fuzz_yamlconf
}

@test "fuzz_toml runs clean for 5 s" {
	fuzz_briefly fuzz_toml
}

@test "fuzz_frconf runs clean for 5 s" {
	fuzz_briefly fuzz_frconf
}

@test "fuzz_frproto runs clean for 5 s" {
	fuzz_briefly fuzz_frproto
}

@test "fuzz_frchain runs clean for 5 s" {
	fuzz_briefly fuzz_frchain
}

@test "fuzz_frcrypto runs clean for 5 s" {
	fuzz_briefly fuzz_frcrypto
}

@test "fuzz_linebuf runs clean for 5 s" {
	fuzz_briefly fuzz_linebuf
}

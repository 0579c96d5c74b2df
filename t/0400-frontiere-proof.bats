#!/usr/bin/env bats
# frontiere-proof: the reference's test vectors in both modes, the option
# forms it accepts, its error messages, and the --secret-file and --b64
# extensions.

# shellcheck disable=SC2154 # $stderr comes from bats' run --separate-stderr

bats_require_minimum_version 1.5.0

load lib/common

usage='frontiere-proof: usage: frontiere-proof --secret <raw-secret> [--nonce <hex-nonce>]'
simple=2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b
nonce=00112233445566778899aabbccddeeff
nonced=89b1bc45c04ee0d1a793445b9f18825f619b46c28ceede5e38532c7cc7d4572c
empty=e29055c500164c2b85b2bb72d3250f4474c8b0cf5e270880f12dc7bf96f8f268

setup() {
	bssh_setup
}

@test "simple mode: the vector, equal to sha256sum" {
	run --separate-stderr frontiere-proof --secret secret
	assert_success
	assert_output_equals "$simple"
	[ "$stderr" = '' ]
	[ "$output" = "$(printf %s secret | sha256sum | cut -d' ' -f1)" ]
}

@test "nonce mode: the vector, the nonce in either case" {
	run frontiere-proof --secret secret --nonce "$nonce"
	assert_success
	assert_output_equals "$nonced"
	run frontiere-proof --secret secret --nonce 00112233445566778899AABBCCDDEEFF
	assert_success
	assert_output_equals "$nonced"
}

@test "an empty nonce is nonce mode, not simple mode" {
	run frontiere-proof --secret secret --nonce ''
	assert_success
	assert_output_equals "$empty"
	run frontiere-proof --secret secret --nonce=
	assert_success
	assert_output_equals "$empty"
}

@test "--opt=value forms and any order" {
	run frontiere-proof --secret=secret
	assert_output_equals "$simple"
	run frontiere-proof --nonce="$nonce" --secret=secret
	assert_success
	assert_output_equals "$nonced"
	run frontiere-proof --nonce "$nonce" --secret secret
	assert_output_equals "$nonced"
}

@test "the proof is one line ending in a newline" {
	[ "$(frontiere-proof --secret secret | od -An -c | tr -d ' \n' | tail -c 3)" = 'b\n' ]
	[ "$(frontiere-proof --secret secret | wc -l)" -eq 1 ]
}

@test "a secret that looks like an option is still the secret" {
	run frontiere-proof --secret --nonce
	assert_success
	assert_output_equals "$(printf %s --nonce | sha256sum | cut -d' ' -f1)"
}

@test "the first of a repeated option wins, as in the reference" {
	run frontiere-proof --secret secret --secret other --nonce "$nonce" --nonce 00
	assert_success
	assert_output_equals "$nonced"
}

@test "missing --secret: two lines, exit 1" {
	run --separate-stderr frontiere-proof --nonce "$nonce"
	assert_status 1
	assert_output_equals ''
	[ "$stderr" = "frontiere-proof: missing required argument: --secret
$usage" ]
	run frontiere-proof
	assert_status 1
	assert_line_equals 0 'frontiere-proof: missing required argument: --secret'
}

@test "a trailing --secret with no value is a missing --secret" {
	run frontiere-proof --secret
	assert_status 1
	assert_output_equals "frontiere-proof: missing required argument: --secret
$usage"
}

@test "a trailing --nonce with no value is an error, not simple mode" {
	run frontiere-proof --secret secret --nonce
	assert_status 1
	assert_output_equals "frontiere-proof: option --nonce needs an argument
$usage"
}

@test "odd-length nonce" {
	run --separate-stderr frontiere-proof --secret secret --nonce 001
	assert_status 1
	assert_output_equals ''
	[ "$stderr" = 'frontiere-proof: invalid nonce hex: hex string must have even length' ]
}

@test "bad nonce digit: the position of its pair" {
	run frontiere-proof --secret secret --nonce 00g0
	assert_status 1
	assert_output_equals 'frontiere-proof: invalid nonce hex: invalid hex at position 2: invalid digit found in string'
	run frontiere-proof --secret secret --nonce 00112233445566778899aabbccddeefz
	assert_status 1
	assert_output_equals 'frontiere-proof: invalid nonce hex: invalid hex at position 30: invalid digit found in string'
	run frontiere-proof --secret secret --nonce zz
	assert_output_equals 'frontiere-proof: invalid nonce hex: invalid hex at position 0: invalid digit found in string'
}

@test "errors never show the secret" {
	run frontiere-proof --secret hunter2 --nonce xyz1
	assert_status 1
	assert_output_not_contains hunter2
	run frontiere-proof --secret hunter2 --bogus
	assert_status 1
	assert_output_not_contains hunter2
}

@test "--secret-file reads the exact bytes, NUL and no newline stripping" {
	printf secret >"$BSSH_TMP/s"
	run frontiere-proof --secret-file "$BSSH_TMP/s" --nonce "$nonce"
	assert_success
	assert_output_equals "$nonced"
	run frontiere-proof --secret-file="$BSSH_TMP/s"
	assert_output_equals "$simple"
	printf 'a\0b\377\n' >"$BSSH_TMP/bin"
	run frontiere-proof --secret-file "$BSSH_TMP/bin"
	assert_success
	assert_output_equals "$(sha256sum <"$BSSH_TMP/bin" | cut -d' ' -f1)"
}

@test "--secret-file - reads stdin" {
	run bash -c "printf secret | frontiere-proof --secret-file - --nonce ''"
	assert_success
	assert_output_equals "$empty"
}

@test "--secret-file errors" {
	run frontiere-proof --secret-file "$BSSH_TMP/none"
	assert_status 1
	assert_output_equals "frontiere-proof: $BSSH_TMP/none: No such file or directory"
	run frontiere-proof --secret-file /dev/zero
	assert_status 1
	assert_output_equals 'frontiere-proof: /dev/zero: secret longer than 1048576 bytes'
}

@test "nonce mode on a long secret file matches Python (keystream wrap)" {
	command -v python3 >/dev/null || skip "python3 not installed"
	python3 -c 'import sys; sys.stdout.buffer.write(bytes((i * 31 + 7) % 256 for i in range(9000)))' \
		>"$BSSH_TMP/long"
	run frontiere-proof --secret-file "$BSSH_TMP/long" --nonce "$nonce"
	assert_success
	assert_output_equals aa038558ac93ddd681f0bc35d5e018182e9009bd2e60c58e601007605313cf61
}

@test "--b64 takes the config's text, prefix optional, decoded leniently" {
	run frontiere-proof --b64 b64:c2VjcmV0
	assert_success
	assert_output_equals "$simple"
	run frontiere-proof --b64 c2VjcmV0 --nonce "$nonce"
	assert_output_equals "$nonced"
	run frontiere-proof --b64=' c2Vj=cmV0= '
	assert_output_equals "$simple"
	run frontiere-proof --b64 'b64:'
	assert_success
	assert_output_equals "$(printf '' | sha256sum | cut -d' ' -f1)"
	run frontiere-proof --b64 AGH/
	assert_output_equals "$(printf '\0a\377' | sha256sum | cut -d' ' -f1)"
}

@test "--b64 errors" {
	run frontiere-proof --b64 'c2V!cmV0'
	assert_status 1
	assert_output_equals 'frontiere-proof: invalid --b64 secret: invalid base64 character: !'
	run frontiere-proof --b64 b64:c2VjcmV0Y
	assert_status 1
	assert_output_equals 'frontiere-proof: invalid --b64 secret: invalid base64: truncated input'
}

@test "only one way to give the secret" {
	run frontiere-proof --secret secret --b64 c2VjcmV0
	assert_status 1
	assert_output_equals "frontiere-proof: only one of --secret, --secret-file and --b64 may be given
$usage"
}

@test "-V and --version" {
	run --separate-stderr frontiere-proof -V
	assert_success
	[[ $output == 'frontiere-proof '[0-9]* ]]
	[ "$(frontiere-proof --version)" = "$output" ]
}

@test "-h and --help on stdout, exit 0" {
	run --separate-stderr frontiere-proof --help
	assert_success
	assert_line_equals 0 'usage: frontiere-proof --secret <raw-secret> [--nonce <hex-nonce>]'
	assert_output_contains --secret-file
	assert_output_contains --b64
	[ "$stderr" = '' ]
	run frontiere-proof -h
	assert_success
}

@test "unknown options and operands are usage errors, exit 1" {
	run frontiere-proof --secret secret --frobnicate
	assert_status 1
	assert_output_equals "frontiere-proof: unknown option --frobnicate
$usage"
	run frontiere-proof -x --secret secret
	assert_status 1
	assert_output_equals "frontiere-proof: unknown option -x
$usage"
	run frontiere-proof --secret secret extra
	assert_status 1
	assert_output_equals "frontiere-proof: unexpected argument: extra
$usage"
}

#!/usr/bin/env bats
# bssh's SSH personality: one destination and no -H is ssh(1).

load lib/common

setup() {
	bssh_setup
}

@test "-Q answers from what libssh supports, not a fixed table" {
	run bssh -Q cipher
	assert_success
	assert_output_contains "aes256-ctr"
	assert_output_contains "chacha20-poly1305@openssh.com"
	run bssh -Q kex
	assert_output_contains "curve25519-sha256"
	# libssh 0.10 has no post-quantum KEX: it must not be claimed
	assert_output_not_contains "sntrup761"
	run bssh -Q mac
	assert_output_contains "hmac-sha2-256"
	run bssh -Q key
	assert_output_contains "ssh-ed25519"
	run bssh -Q cipher-auth
	assert_output_not_contains "aes256-ctr"
	run bssh -Q protocol-version
	assert_output_equals 2
}

@test "-Q answers agree with ssh -Q where libssh has the algorithm" {
	command -v ssh >/dev/null || skip "ssh not installed"
	for q in cipher mac kex key; do
		bssh -Q "$q" >"$BSSH_TMP/ours"
		ssh -Q "$q" >"$BSSH_TMP/theirs"
		# everything we claim, OpenSSH knows by that name
		while read -r alg; do
			grep -qxF "$alg" "$BSSH_TMP/theirs" || { echo "$q: $alg unknown to ssh" >&2; return 1; }
		done <"$BSSH_TMP/ours"
	done
}

@test "-Q with an unknown query: 255 and a one-line error" {
	run bssh -Q nonsense
	assert_status 255
	assert_output_equals "bssh: -Q nonsense: unknown query (try -Q help)"
	run bssh -Q help
	assert_success
	assert_output_contains "cipher"
}

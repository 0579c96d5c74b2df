#!/usr/bin/env bats
# bssh-hostlist: expansion, compression, counting, filters, excludes, input
# from stdin and ^files, every error path with its message and exit code.

bats_require_minimum_version 1.5.0

usage='bssh-hostlist: usage: bssh-hostlist [-c | -n] [-x PATTERNS]... [-f PATTERNS]... [-d DELIM] [EXPR ...]'

@test "expands a numeric range" {
	run bssh-hostlist 'node[1-5]'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'node%s\n' 1 2 3 4 5)" ]
}

@test "keeps zero padding, widest padded bound wins" {
	run bssh-hostlist -d ' ' 'node[08-10]'
	[ "$status" -eq 0 ]
	[ "$output" = 'node08 node09 node10' ]
	run bssh-hostlist -d ' ' 'n[1-010]'
	[ "$output" = 'n001 n002 n003 n004 n005 n006 n007 n008 n009 n010' ]
}

@test "expands comma lists inside brackets and between items" {
	run bssh-hostlist -d ' ' 'node[1,3,5-7],web1,,db[1-2]'
	[ "$status" -eq 0 ]
	[ "$output" = 'node1 node3 node5 node6 node7 web1 db1 db2' ]
}

@test "brackets expand as a cartesian product, left to right" {
	run bssh-hostlist -d ' ' 'rack[1-2]-node[1-3]'
	[ "$status" -eq 0 ]
	[ "$output" = 'rack1-node1 rack1-node2 rack1-node3 rack2-node1 rack2-node2 rack2-node3' ]
}

@test "keeps user@ and :port on every host" {
	run bssh-hostlist -d ' ' 'alice@web[1-2]:2222'
	[ "$status" -eq 0 ]
	[ "$output" = 'alice@web1:2222 alice@web2:2222' ]
}

@test "keeps bracketed IPv6 literals with ports verbatim" {
	run bssh-hostlist -d ' ' '[::1]:2222,alice@[fe80::1]:22,[2001:db8::5]'
	[ "$status" -eq 0 ]
	[ "$output" = '[::1]:2222 alice@[fe80::1]:22 [2001:db8::5]' ]
}

@test "several EXPR arguments are one list, deduplicated in order" {
	run bssh-hostlist -d ' ' 'b,a' 'n[3-4]' 'a,n[1-4],b'
	[ "$status" -eq 0 ]
	[ "$output" = 'b a n3 n4 n1 n2' ]
}

@test "reads a ^file: trimmed lines, blanks and comments skipped" {
	printf '# rack 1\n\n  web[1-2]  \r\n\tdb1,db2\n#web9\n' >"$BATS_TEST_TMPDIR/hosts"
	run bssh-hostlist -d ' ' "^$BATS_TEST_TMPDIR/hosts,x1"
	[ "$status" -eq 0 ]
	[ "$output" = 'web1 web2 db1 db2 x1' ]
}

@test "reads expressions from stdin without EXPR" {
	run bash -c 'printf "web[1-2]\n\n# comment\n  db1  \n" | bssh-hostlist -d " "'
	[ "$status" -eq 0 ]
	[ "$output" = 'web1 web2 db1' ]
}

@test "reads stdin in place of -" {
	run bash -c 'printf "b1\nb2" | bssh-hostlist -d " " a - c'
	[ "$status" -eq 0 ]
	[ "$output" = 'a b1 b2 c' ]
}

@test "empty stdin is an empty list and exit 0" {
	run bssh-hostlist </dev/null
	[ "$status" -eq 0 ]
	[ "$output" = '' ]
	run bssh-hostlist -n </dev/null
	[ "$output" = '0' ]
}

@test "-c folds the list back into ranges" {
	run bssh-hostlist -c 'n[1-3],n7,web[01-10],alice@n[1-2]:22,[::1],web'
	[ "$status" -eq 0 ]
	[ "$output" = 'n[1-3,7],web[01-10],alice@n[1-2]:22,[::1],web' ]
	run bssh-hostlist --compress 'web1'
	[ "$output" = 'web1' ]
}

@test "-c output expands back to the same hosts" {
	expr='rack[1-3]-n[01-12],n[5-100],u@h[1-9]:22,x,[::1]:2'
	run bssh-hostlist -c "$expr"
	[ "$status" -eq 0 ]
	[ "$(bssh-hostlist "$output" | sort)" = "$(bssh-hostlist "$expr" | sort)" ]
}

@test "-n counts hosts" {
	run bssh-hostlist -n 'n[1-10],n[5-15]'
	[ "$status" -eq 0 ]
	[ "$output" = '15' ]
}

@test "-x removes exact names only: web1 does not remove web10" {
	run bssh-hostlist -d ' ' -x web1 'web[1-11]'
	[ "$status" -eq 0 ]
	[ "$output" = 'web2 web3 web4 web5 web6 web7 web8 web9 web10 web11' ]
}

@test "-x takes globs, hostlist expressions and is repeatable" {
	run bssh-hostlist -d ' ' -x 'web1?' -x 'web[2-8]' 'web[1-12]'
	[ "$status" -eq 0 ]
	[ "$output" = 'web1 web9' ]
}

@test "-x matches the host part or the whole entry" {
	run bssh-hostlist -d ' ' -x 'web1' 'alice@web1:22,bob@web2,web3'
	[ "$output" = 'bob@web2 web3' ]
	run bssh-hostlist -d ' ' -x 'bob@*' 'alice@web1:22,bob@web2,web3'
	[ "$output" = 'alice@web1:22 web3' ]
	run bssh-hostlist -d ' ' -x '::1' '[::1]:22,[::2]'
	[ "$output" = '[::2]' ]
}

@test "-f keeps matches; several -f are a union; -x applies after" {
	run bssh-hostlist -d ' ' -f 'web*' 'db1,web1,web2,mail'
	[ "$output" = 'web1 web2' ]
	run bssh-hostlist -d ' ' -f 'web[1-2]' -f db1 -x web2 'db1,web1,web2,mail'
	[ "$status" -eq 0 ]
	[ "$output" = 'db1 web1' ]
}

@test "-f that matches nothing prints nothing and exits 0" {
	run bssh-hostlist -f nomatch 'web[1-3]'
	[ "$status" -eq 0 ]
	[ "$output" = '' ]
}

@test "-d joins with a delimiter and ends with a newline" {
	bssh-hostlist -d ', ' 'n[1-3]' >"$BATS_TEST_TMPDIR/out"
	[ "$(od -An -c "$BATS_TEST_TMPDIR/out" | tr -s ' ')" = ' n 1 , n 2 , n 3 \n' ]
}

@test "a ^file can be used as a pattern" {
	printf 'web2\nweb[4-5]\n' >"$BATS_TEST_TMPDIR/drain"
	run bssh-hostlist -d ' ' -x "^$BATS_TEST_TMPDIR/drain" 'web[1-6]'
	[ "$status" -eq 0 ]
	[ "$output" = 'web1 web3 web6' ]
}

@test "bracket errors exit 1 with the expression and the reason" {
	run --separate-stderr bssh-hostlist 'node[1-3'
	[ "$status" -eq 1 ]
	[ "$output" = '' ]
	[ "$stderr" = "bssh-hostlist: \"node[1-3\": unclosed '['" ]
	run bssh-hostlist 'node[5-1]'
	[ "$status" -eq 1 ]
	[ "$output" = 'bssh-hostlist: "node[5-1]": reversed range 5-1' ]
	run bssh-hostlist 'node[]'
	[ "$status" -eq 1 ]
	[ "$output" = 'bssh-hostlist: "node[]": empty brackets' ]
	run bssh-hostlist 'node[a-c]'
	[ "$status" -eq 1 ]
	[ "$output" = 'bssh-hostlist: "node[a-c]": not a numeric range "a-c"' ]
	run bssh-hostlist 'n]'
	[ "$status" -eq 1 ]
	[ "$output" = "bssh-hostlist: \"n]\": unmatched ']'" ]
	run bssh-hostlist 'n[1[2]]'
	[ "$status" -eq 1 ]
	[ "$output" = "bssh-hostlist: \"n[1[2]]\": nested '['" ]
	run bssh-hostlist 'n[1234567890123456789]'
	[ "$status" -eq 1 ]
	[ "$output" = 'bssh-hostlist: "n[1234567890123456789]": number "1234567890123456789" has more than 18 digits' ]
}

@test "host, user and port errors exit 1" {
	run bssh-hostlist '::1'
	[ "$status" -eq 1 ]
	[ "$output" = 'bssh-hostlist: "::1": IPv6 address must be in brackets' ]
	run bssh-hostlist 'web:0'
	[ "$status" -eq 1 ]
	[ "$output" = 'bssh-hostlist: "web:0": port "0" out of range 1-65535' ]
	run bssh-hostlist 'web:ssh'
	[ "$status" -eq 1 ]
	[ "$output" = 'bssh-hostlist: "web:ssh": invalid port "ssh"' ]
	run bssh-hostlist 'a b'
	[ "$status" -eq 1 ]
	[ "$output" = 'bssh-hostlist: "a b": contains a space or control character' ]
	run bssh-hostlist -- '-oProxyCommand=x'
	[ "$status" -eq 1 ]
	[ "$output" = "bssh-hostlist: \"-oProxyCommand=x\": host name starts with '-'" ]
	run bssh-hostlist '@web'
	[ "$status" -eq 1 ]
	[ "$output" = 'bssh-hostlist: "@web": empty user name' ]
}

@test "a control character in an error is shown escaped" {
	run bssh-hostlist "$(printf 'a\033[2Jb')"
	[ "$status" -eq 1 ]
	[ "$output" = 'bssh-hostlist: "a\033[2Jb": contains a space or control character' ]
}

@test "^file errors exit 1" {
	run bssh-hostlist "^$BATS_TEST_TMPDIR/missing"
	[ "$status" -eq 1 ]
	[ "$output" = "bssh-hostlist: \"^$BATS_TEST_TMPDIR/missing\": open: No such file or directory" ]
	printf 'ok1\nbad[\n' >"$BATS_TEST_TMPDIR/hosts"
	run bssh-hostlist "^$BATS_TEST_TMPDIR/hosts"
	[ "$status" -eq 1 ]
	[ "$output" = "bssh-hostlist: \"^$BATS_TEST_TMPDIR/hosts\": line 2: \"bad[\": unclosed '['" ]
	head -c 1048577 /dev/zero | tr '\0' a >"$BATS_TEST_TMPDIR/big"
	run bssh-hostlist "^$BATS_TEST_TMPDIR/big"
	[ "$status" -eq 1 ]
	[ "$output" = "bssh-hostlist: \"^$BATS_TEST_TMPDIR/big\": larger than 1048576 bytes" ]
}

@test "stdin errors name the line" {
	run bash -c 'printf "a\nb\nc[2-1]\n" | bssh-hostlist'
	[ "$status" -eq 1 ]
	[ "$output" = 'bssh-hostlist: stdin: line 3: "c[2-1]": reversed range 2-1' ]
}

@test "a stdin line over 64 KiB is an error" {
	printf 'web1%65532s\n' '' >"$BATS_TEST_TMPDIR/line"
	run bssh-hostlist -n <"$BATS_TEST_TMPDIR/line"
	[ "$status" -eq 0 ]
	[ "$output" = '1' ]
	printf 'web1%65533s\n' '' >"$BATS_TEST_TMPDIR/long"
	run bssh-hostlist -n <"$BATS_TEST_TMPDIR/long"
	[ "$status" -eq 1 ]
	[ "$output" = 'bssh-hostlist: stdin: line 1: longer than 65536 bytes' ]
}

@test "bad patterns exit 1" {
	run bssh-hostlist -x 'web[3-1]' 'web[1-3]'
	[ "$status" -eq 1 ]
	[ "$output" = 'bssh-hostlist: "web[3-1]": reversed range 3-1' ]
	run bssh-hostlist -f '' 'web[1-3]'
	[ "$status" -eq 1 ]
	[ "$output" = 'bssh-hostlist: "": empty pattern list' ]
	run bssh-hostlist -x 'web[' 'web[1-3]'
	[ "$status" -eq 1 ]
	[ "$output" = "bssh-hostlist: \"web[\": unclosed '['" ]
}

@test "counts 100000 hosts and refuses one more" {
	run bssh-hostlist -n 'n[1-100000]'
	[ "$status" -eq 0 ]
	[ "$output" = '100000' ]
	run bssh-hostlist -n 'n[1-100001]'
	[ "$status" -eq 1 ]
	[ "$output" = 'bssh-hostlist: "n[1-100001]": expands to more than 100000 hosts' ]
	run bssh-hostlist -n 'n[1-1000]-[1-1000]'
	[ "$status" -eq 1 ]
	[ "$output" = 'bssh-hostlist: "n[1-1000]-[1-1000]": expands to more than 100000 hosts' ]
	run bssh-hostlist -n 'n[1-999999999999999999]'
	[ "$status" -eq 1 ]
	run bssh-hostlist -n 'n[1-60000]' 'm[1-60000]'
	[ "$status" -eq 1 ]
	[ "$output" = 'bssh-hostlist: "m[1-60000]": list would hold more than 100000 hosts' ]
}

@test "unknown options and missing arguments exit 100 with usage" {
	run bssh-hostlist -z web1
	[ "$status" -eq 100 ]
	[ "$output" = "bssh-hostlist: unknown option -z
$usage" ]
	run bssh-hostlist --bogus web1
	[ "$status" -eq 100 ]
	[ "$output" = "bssh-hostlist: unknown option --bogus
$usage" ]
	run bssh-hostlist web1 -x
	[ "$status" -eq 100 ]
	[ "$output" = "bssh-hostlist: option -x needs an argument
$usage" ]
}

@test "a closed stdout exits 111" {
	run bash -c 'bssh-hostlist web1 >&-'
	[ "$status" -eq 111 ]
	[ "$output" = 'bssh-hostlist: stdout: Bad file descriptor' ]
}

@test "a write error exits 111" {
	[ -w /dev/full ] || skip 'no /dev/full'
	run bash -c 'bssh-hostlist "n[1-3]" >/dev/full'
	[ "$status" -eq 111 ]
	[ "$output" = 'bssh-hostlist: write stdout: No space left on device' ]
	run bash -c 'bssh-hostlist -n "n[1-100000]" >/dev/full'
	[ "$status" -eq 111 ]
}

@test "--help prints usage on stdout and exits 0; -h too" {
	run --separate-stderr bssh-hostlist --help
	[ "$status" -eq 0 ]
	[ "$stderr" = '' ]
	[ "${lines[0]}" = 'usage: bssh-hostlist [-c | -n] [-x PATTERNS]... [-f PATTERNS]... [-d DELIM] [EXPR ...]' ]
	[[ "$output" == *'--exclude PATTERNS'* ]]
	run bssh-hostlist -h
	[ "$status" -eq 0 ]
}

@test "--version and -V print the package version" {
	run bssh-hostlist --version
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^bssh-hostlist\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
	run bssh-hostlist -V
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^bssh-hostlist\ [0-9] ]]
}

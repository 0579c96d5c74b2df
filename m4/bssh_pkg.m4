# BSSH_REQUIRE_PKG(VARIABLE-PREFIX, MODULES, DEBIAN-PACKAGE)
# ----------------------------------------------------------
# A pkg-config check that fails with one clear line naming the Debian
# package to install, instead of pkg-config's generic advice.
AC_DEFUN([BSSH_REQUIRE_PKG], [
PKG_CHECK_MODULES([$1], [$2], [],
	[AC_MSG_ERROR([$2 not found (pkg-config): install the Debian package $3])])
])

{
  description = "bssh: a parallel SSH toolkit of small C programs";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forAll = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
      bssh = pkgs: pkgs.stdenv.mkDerivation {
        pname = "bssh";
        version = "0.1.0";
        src = self;
        nativeBuildInputs = with pkgs; [ autoreconfHook pkg-config ];
        buildInputs = with pkgs; [ libssh libyaml jansson openssl libargon2 libxcrypt zlib ];
        # autoreconfHook does not copy automake's TAP driver.
        preAutoreconf = ''
          mkdir -p build-aux
          cp ${pkgs.automake}/share/automake-*/tap-driver.sh build-aux/
        '';
        nativeCheckInputs = with pkgs; [ bats openssh python3 pdsh ];
        # The suite starts sshd on 127.0.0.0/8, which the build sandbox allows.
        doCheck = true;
        enableParallelBuilding = true;
        meta = {
          description = "SSH at cluster scale in small C programs: a pdsh-like parallel client, an audit sink and an SSH-Frontiere login shell";
          platforms = pkgs.lib.platforms.linux;
        };
      };
    in {
      packages = forAll (pkgs: { default = bssh pkgs; });

      devShells = forAll (pkgs: {
        default = pkgs.mkShell {
          inputsFrom = [ (bssh pkgs) ];
          packages = with pkgs; [ bats openssh python3 clang gdb valgrind mandoc pdsh ];
        };
      });

      checks = forAll (pkgs: {
        make-check = (bssh pkgs).overrideAttrs (_: { doCheck = true; checkTarget = "check"; });
      });
    };
}

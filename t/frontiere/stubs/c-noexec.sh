#!/bin/sh
# deliberately not executable (mode 644)
echo should-not-run

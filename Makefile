# contractwatch — the two set-up commands are `make demo` and `make test`.
SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)

.PHONY: demo test build release deps clean

# Installs missing system packages, builds, and starts the demo (a private PostgreSQL with the
# Met Museum schema, checked against ./contracts).
demo: deps build
	.build/debug/contractwatch demo

# Installs missing system packages, builds, runs every test (tests start their own throwaway
# PostgreSQL; nothing else is needed).
test: deps build
	$(SWIFT) test

build:
	$(SWIFT) build

# A self-contained binary (Swift runtime and Foundation linked in): runs where no Swift
# toolchain is installed, and starts in about half the time of a dynamically linked one.
release:
	$(SWIFT) build -c release --static-swift-stdlib

deps:
	@scripts/install-packages.sh

clean:
	rm -rf .build

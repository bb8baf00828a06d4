# contractwatch — the two set-up commands are `make demo` and `make test`.
SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)

.PHONY: demo test build release deps clean lint format

# Installs missing system packages, builds, and starts the demo (a private PostgreSQL with the
# Met Museum schema, checked against ./contracts).
demo: deps build
	.build/debug/contractwatch demo

# Installs missing system packages, builds, runs every test (tests start their own throwaway
# PostgreSQL; nothing else is needed).
test: deps build lint
	$(SWIFT) test

# The house style (.swift-format: 4 spaces, lines of at most 120 characters); `make format` fixes it.
lint:
	$(SWIFT) format lint --strict --recursive --parallel Sources Tests Package.swift

format:
	$(SWIFT) format --in-place --recursive --parallel Sources Tests Package.swift

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

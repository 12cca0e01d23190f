# Tern's front door. The two commands of the README:
#   make demo    the light-bulb scenario on loopback
#   make check   every test: unit, integration, sanitizers, fuzzing, embedded builds
# Each first installs missing Debian packages (scripts/install-deps.sh).
# Also: make qemu-demo, the scenario with the bulb's firmware in QEMU.

BUILD_DIR ?= build
PREFIX ?= /usr/local
FORMAT_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)

.PHONY: all deps build demo qemu-demo check test fuzz footprint format format-check install clean bench

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@scripts/build.sh $(BUILD_DIR)

demo: deps
	@scripts/demo.sh

qemu-demo: deps
	@scripts/qemu.sh demo

check: deps
	@scripts/check.sh

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure

fuzz: deps
	@scripts/fuzz.sh

footprint: deps
	@scripts/footprint.sh

bench: build
	@scripts/bench.sh $(BUILD_DIR)

format:
	@clang-format -i $(FORMAT_FILES)

format-check:
	@scripts/format-check.sh

install: build
	cmake --install $(BUILD_DIR) --prefix $(PREFIX)

clean:
	rm -rf build build-asan build-fuzz build-footprint build-qemu

#!/usr/bin/env python3
"""Per-component footprint of a Cortex-M image, from its GNU ld map file.

Usage: report.py PROFILE MAP SIZES_NM [LTO_FLASH]

LTO_FLASH, when given, is the flash size of the same image linked with
-flto, printed as a line of its own (link-time optimisation mixes the
components, so the table is of the ordinary build).

Every input section the linker kept is attributed to the object file it
came from, and each object file to a component. Flash is text + rodata +
data (the initial values), RAM is data + bss. The RAM a component keeps
inside the client struct is not a global, so it is read from the
symbol sizes in SIZES_NM (nm -S output of footprint/sizes.c).
"""
import re
import sys

# object file name (without directories and .c.o/.o) -> component
COMPONENTS = [
    (r"^coap_(msg|writer)$", "CoAP codec (RFC 7252 3)"),
    (r"^coap_ep$", "CoAP message layer (RFC 7252 4)"),
    (r"^coap_block$", "CoAP block-wise (RFC 7959)"),
    (r"^(log|uri|arith|crc32)$", "core: logging hooks, URIs, arithmetic, CRC"),
    (r"^fixed$", "fixed point (threshold attributes)"),
    (r"^(block1|download)$", "block-wise upload and download"),
    (r"^payload$", "response payloads (Block2)"),
    (r"^(client|request|content|dm_\w+|access\w*)$", "LwM2M client core, APIs, DM operations"),
    (r"^(registration|accounts)$", "registration management"),
    (r"^(data_model)$", "object mapping and management"),
    (r"^(observe|attributes)$", "observe-notify management, attributes"),
    (r"^bootstrap\w*$", "bootstrap management"),
    (r"^tlv\w*$", "TLV format"),
    (r"^numtext\w*$", "number <-> text conversions"),
    (r"^text\w*$", "plain-text format"),
    (r"^opaque\w*$", "opaque format"),
    (r"^link\w*$", "CoRE link format"),
    (r"^(senml\w*|cbor\w*)$", "SenML formats"),
    (r"^(format\w*|sink|base64)$", "format dispatch, sink"),
    (r"^obj_security$", "object 0 Security"),
    (r"^obj_server$", "object 1 Server"),
    (r"^obj_acl$", "object 2 Access Control"),
    (r"^obj_device$", "object 3 Device"),
    (r"^obj_firmware$", "object 5 Firmware Update"),
    (r"^obj_light$", "object 3311 Light Control"),
    (r"^obj_\w+$", "other objects"),
    (r"^persist\w*$", "persistence"),
]
# what each component's RAM is made of: sizes.c symbol -> component
RAM_SYMBOLS = {
    "tern_size_coap": "CoAP message layer (RFC 7252 4)",
    "tern_size_client_servers": "registration management",
    "tern_size_client_observe": "observe-notify management, attributes",
    "tern_size_object_device": "object 3 Device",
    "tern_size_object_light": "object 3311 Light Control",
    "tern_size_object_firmware": "object 5 Firmware Update",
}
# the client struct minus the parts above is the core's
CLIENT_PARTS = ("tern_size_client_coap", "tern_size_client_servers", "tern_size_client_observe")

SECTION_RE = re.compile(r"^ (\.[\w.$]+|COMMON)\s*$")
ENTRY_RE = re.compile(r"^ (\.[\w.$]+|COMMON)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)$")


def component_of(path):
    if ".a(" in path:
        lib = path.split("(")[0].rsplit("/", 1)[-1]
        if lib.startswith(("libc", "libg", "libm", "libnosys")):
            return "C library (newlib-nano, libgcc)"
        if lib.startswith("libgcc"):
            return "C library (newlib-nano, libgcc)"
        return "other libraries"
    if "/src/" not in path and not path.startswith("src/"):
        return "application, port, start-up (not Tern)"
    name = path.rsplit("/", 1)[-1]
    name = re.sub(r"\.(c\.)?o(bj)?$", "", name)
    for pattern, comp in COMPONENTS:
        if re.match(pattern, name):
            return comp
    return "core: " + name


def parse_map(path):
    flash, ram = {}, {}
    in_map = False
    pending = None
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("Linker script and memory map"):
                in_map = True
                continue
            if not in_map:
                continue
            m = SECTION_RE.match(line)
            if m:
                pending = m.group(1)
                continue
            m = ENTRY_RE.match(line)
            if not m:
                pending = None
                continue
            section = m.group(1) or pending
            pending = None
            size = int(m.group(3), 16)
            if section is None or size == 0 or m.group(2) == "0" * len(m.group(2)) and section.startswith(".debug"):
                continue
            comp = component_of(m.group(4))
            if section.startswith(".ARM.attributes"):
                continue  # build attributes: in the ELF file, never loaded into flash
            if section.startswith((".text", ".rodata", ".ARM", ".vectors", ".glue", ".vfp11", ".v4_bx", ".iplt", ".rel")):
                flash[comp] = flash.get(comp, 0) + size
            elif section.startswith(".data"):
                flash[comp] = flash.get(comp, 0) + size
                ram[comp] = ram.get(comp, 0) + size
            elif section.startswith((".bss", "COMMON")):
                ram[comp] = ram.get(comp, 0) + size
    return flash, ram


def read_symbol_sizes(path):
    sizes = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 4:
                sizes[parts[3]] = int(parts[1], 16)
    return sizes


def parse_sizes(path, profile):
    sizes = read_symbol_sizes(path)
    state = {}
    for sym, comp in RAM_SYMBOLS.items():
        if sym in sizes and (profile != "coap" or sym == "tern_size_coap"):
            state[comp] = state.get(comp, 0) + sizes[sym]
    if profile != "coap" and "tern_size_client" in sizes:
        core = sizes["tern_size_client"] - sum(sizes.get(p, 0) for p in CLIENT_PARTS)
        state["LwM2M client core, APIs, DM operations"] = core
    return state


# The paper's figures (Cortex-M3, Contiki) and the targets of issue 8.
PAPER = {"LwM2M": (8764, 820), "CoAP": (9724, 1385)}
TARGET_CORE_FLASH = 10240   # paper profile, Tern without objects
TARGET_PAPER_RAM = 2048     # paper profile, static RAM
TARGET_OBJECT_FLASH = 500   # paper profile, average per object
TARGET_LIBC = 2048          # C library share of the whole image
TARGET_FULL_FLASH = 24576
TARGET_FULL_RAM = 4096


def verdict(value, target):
    return f"{value:>7} B  target <= {target:>6} B  {'met' if value <= target else 'NOT MET'}"


def print_targets(profile, flash, tern_flash, tern_ram, libc, sizes, lto_flash):
    buf = sizes.get("tern_size_config_buffer", 0)
    pending = sizes.get("tern_size_config_pending", 0)
    own_rx = sizes.get("tern_size_config_rx_buffer", 2) == 2
    rx = (f"a receive buffer of {buf} B in the client" if own_rx else
          f"received datagrams read where the port keeps them (its {buf} B frame buffer is "
          "counted under application/port)")
    print(f"CoAP buffers: {buf}-byte messages; response/duplicate cache {buf} B, "
          f"{pending} outstanding message(s) of {buf} B each; {rx}")
    objects = {c: f for c, f in flash.items() if re.match(r"object \d", c)}
    print(f"targets (issue 8):")
    if profile == "paper":
        core = tern_flash - sum(objects.values())
        print(f"  Tern without objects, flash       {verdict(core, TARGET_CORE_FLASH)}")
        avg = sum(objects.values()) // max(len(objects), 1)
        print(f"  objects, average flash ({len(objects)})       {verdict(avg, TARGET_OBJECT_FLASH)}")
        print(f"  Tern static RAM                   {verdict(tern_ram, TARGET_PAPER_RAM)}")
        print(f"  paper (LwM2M + CoAP): {PAPER['LwM2M'][0] + PAPER['CoAP'][0]} B flash, "
              f"{PAPER['LwM2M'][1] + PAPER['CoAP'][1]} B RAM")
    elif profile == "full":
        print(f"  Tern flash (with objects)         {verdict(tern_flash, TARGET_FULL_FLASH)}")
        print(f"  Tern static RAM                   {verdict(tern_ram, TARGET_FULL_RAM)}")
    else:
        print(f"  (none; the paper's CoAP alone: {PAPER['CoAP'][0]} B flash, {PAPER['CoAP'][1]} B RAM)")
    print(f"  C library share of the image      {verdict(libc, TARGET_LIBC)}")
    if lto_flash is not None:
        print(f"  the whole image linked with -flto: {lto_flash} B flash")


def main():
    profile, map_path, sizes_path = sys.argv[1:4]
    lto_flash = int(sys.argv[4]) if len(sys.argv) > 4 else None
    flash, ram = parse_map(map_path)
    state = parse_sizes(sizes_path, profile)
    tern = sorted(c for c in set(flash) | set(state) if not c.startswith(("C library", "application", "other")))
    rows = []
    print(f"\nProfile '{profile}': Cortex-M3, arm-none-eabi-gcc -Os, newlib-nano, --gc-sections")
    print(f"{'component':44} {'flash (B)':>10} {'RAM (B)':>10}")
    print("-" * 66)
    total_f = total_r = 0
    for c in tern:
        f, r = flash.get(c, 0), state.get(c, 0) + ram.get(c, 0)
        total_f += f
        total_r += r
        print(f"{c:44} {f:>10} {r:>10}")
    print("-" * 66)
    print(f"{'Tern total':44} {total_f:>10} {total_r:>10}")
    others = sorted(c for c in set(flash) | set(ram) if c not in tern)
    image_f = sum(flash.values())
    image_r = sum(ram.values())
    for c in others:
        print(f"{c:44} {flash.get(c, 0):>10} {ram.get(c, 0):>10}")
    print(f"{'whole image (RAM: static data incl. client)':44} {image_f:>10} {image_r:>10}")
    print("RAM of a component is its state inside the client struct; the image's RAM counts that struct once, in the application.")
    libc = flash.get("C library (newlib-nano, libgcc)", 0)
    print_targets(profile, flash, total_f, total_r, libc, read_symbol_sizes(sizes_path), lto_flash)


if __name__ == "__main__":
    main()

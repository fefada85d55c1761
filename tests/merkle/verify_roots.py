#!/usr/bin/env python3
"""Checks docs/merkle.md against the host's Merkle engine, the way an outside auditor would.

Runs merkle_example (the C++ engine over a small fixed store), then recomputes every artifact
digest, bundle root, tenant root and the global root from the example's raw content with the Python
recipe printed in docs/merkle.md -- its first ```python block, run as written -- and compares.
Inputs are shuffled before they reach the recipe, so its ordering rules are checked too. For
sha256 it also checks that the worked example in the document still shows the engine's values.

Usage: verify_roots.py DOCS_MERKLE_MD MERKLE_EXAMPLE_BINARY ALGORITHM
Exit status: 0 when every value matches, 1 otherwise, 77 (skipped) when this Python's hashlib does
not provide the algorithm.
"""
import hashlib
import json
import random
import re
import subprocess
import sys

SHUFFLE_SEED = 9162  # fixed: the check is deterministic
EXIT_SKIPPED = 77  # ctest's SKIP_RETURN_CODE for this test


def main():
    docs_path, example_binary, algorithm = sys.argv[1:4]
    with open(docs_path, encoding="utf-8") as docs_file:
        docs = docs_file.read()
    blocks = re.findall(r"```python\n(.*?)```", docs, re.S)
    if not blocks:
        print(f"{docs_path}: no ```python block found; expected the recipe snippet", file=sys.stderr)
        return 1
    recipe = {}
    exec(blocks[0], recipe)  # noqa: S102 - the point is to run the documented code as written
    hashlib_name = recipe["HASHLIB_NAMES"][algorithm]
    if hashlib_name not in hashlib.algorithms_available:
        print(f"{algorithm}: this Python's hashlib has no {hashlib_name}; check skipped")
        return EXIT_SKIPPED

    run = subprocess.run([example_binary, algorithm], check=True, capture_output=True)
    example = json.loads(run.stdout)
    shuffle = random.Random(SHUFFLE_SEED).shuffle
    problems = []
    compared = 0

    def expect(what, found, expected):
        nonlocal compared
        compared += 1
        if found != expected:
            problems.append(f"{what}: the recipe gives {found}, the engine gave {expected}")

    expect("empty tree root", recipe["bundle_root"](algorithm, []), example["emptyRoot"])
    tenants = []
    for tenant in example["tenants"]:
        bundles = []
        for bundle in tenant["bundles"]:
            artifacts = []
            for artifact in bundle["artifacts"]:
                digest = recipe["digest_string"](algorithm, artifact["content"].encode("utf-8"))
                expect(f"digest of {tenant['tenant']}/{bundle['bundle']}/{artifact['path']}",
                       digest, artifact["digest"])
                artifacts.append((artifact["path"], digest))
            shuffle(artifacts)
            root = recipe["bundle_root"](algorithm, artifacts)
            expect(f"root of bundle {tenant['tenant']}/{bundle['bundle']}", root, bundle["root"])
            bundles.append((bundle["sealedAt"], bundle["bundle"], root))
        shuffle(bundles)
        root = recipe["tenant_root"](algorithm, bundles)
        expect(f"root of tenant {tenant['tenant']}", root, tenant["root"])
        tenants.append((tenant["tenant"], root))
    shuffle(tenants)
    global_root = recipe["global_root"](algorithm, tenants)
    expect("global root", global_root, example["globalRoot"])

    if algorithm == "sha256":
        shown = [example["globalRoot"]] + [t["root"] for t in example["tenants"]]
        shown += [b["root"] for t in example["tenants"] for b in t["bundles"]]
        shown += [a["digest"] for t in example["tenants"] for b in t["bundles"]
                  for a in b["artifacts"]]
        for value in shown:
            compared += 1
            if value not in docs:
                problems.append(f"{docs_path}: the worked example does not show {value}, "
                                "which the engine computes now; update the example")

    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{algorithm}: {compared} values compared, {len(problems)} differ")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

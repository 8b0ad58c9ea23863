#!/usr/bin/env python3
"""Validate conform suite files against the suite JSON Schema.

Usage: python3 Tests/schema/validate.py SCHEMA FILE...

A FILE ending in .yaml or .yml is read as YAML with PyYAML (YAML 1.1 typing, as conform's Yams reader), the
way yaml-language-server checks a YAML suite against the same schema.

Checks SCHEMA itself (Draft 2020-12), then prints one line per FILE:
    ok FILE
    invalid FILE: <message> at <JSON path>
The message is that of jsonschema's best match among the errors (the most relevant one).
Exit status: 0 when every file is valid, 1 when one is not, 2 on a usage or schema error.
"""

import json
import sys

import jsonschema
from jsonschema import Draft202012Validator


def _reject_constant(name):
    # Suite files are RFC 8259 JSON: NaN and Infinity are not numbers there.
    raise ValueError(f"{name} is not valid JSON")


def load_json(path):
    with open(path, encoding="utf-8-sig") as handle:
        return json.load(handle, parse_constant=_reject_constant)


def load_suite(path):
    if path.endswith((".yaml", ".yml")):
        import yaml

        with open(path, encoding="utf-8-sig") as handle:
            return yaml.safe_load(handle)
    return load_json(path)


def main(argv):
    if len(argv) < 3 or argv[1] in ("-h", "--help"):
        print("usage: python3 Tests/schema/validate.py SCHEMA FILE...", file=sys.stderr)
        return 2
    schema_path, files = argv[1], argv[2:]
    try:
        schema = load_json(schema_path)
        Draft202012Validator.check_schema(schema)
    except (OSError, ValueError) as error:
        print(f"error: cannot read schema {schema_path}: {error}", file=sys.stderr)
        return 2
    except jsonschema.exceptions.SchemaError as error:
        print(f"error: invalid schema {schema_path}: {error.message} at {error.json_path}", file=sys.stderr)
        return 2
    validator = Draft202012Validator(schema)

    status = 0
    for path in files:
        try:
            instance = load_suite(path)
        except (OSError, ValueError) as error:
            print(f"invalid {path}: not readable as JSON: {error} at $")
            status = 1
            continue
        error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
        if error is None:
            print(f"ok {path}")
        else:
            print(f"invalid {path}: {error.message} at {error.json_path}")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))

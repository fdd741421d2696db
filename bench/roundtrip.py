"""The baseline for an edit: a plain ruamel.yaml round-trip load and dump of a file, in place."""

import sys

from ruamel.yaml import YAML

yaml = YAML()
with open(sys.argv[1], encoding="utf-8") as handle:
    document = yaml.load(handle)
with open(sys.argv[1], "w", encoding="utf-8") as handle:
    yaml.dump(document, handle)

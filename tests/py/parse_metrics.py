"""Reads a /metrics scrape on stdin with the Prometheus project's own parser and prints, as
JSON, each metric family's type and samples. A scrape the parser refuses exits non-zero with
the parser's message (tests/it/metrics.rs shows it)."""

import json
import sys

from prometheus_client.parser import text_string_to_metric_families


def main() -> None:
    families = {}
    for family in text_string_to_metric_families(sys.stdin.read()):
        families[family.name] = {
            "type": family.type,
            "samples": [[s.name, s.labels, s.value] for s in family.samples],
        }
    json.dump(families, sys.stdout)


if __name__ == "__main__":
    main()

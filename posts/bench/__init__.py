"""The benchmark (`make bench`): a generated corpus (corpus) imported and measured (benchmark)."""

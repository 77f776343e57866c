import rules

rules.add_perm("common.signed_in", rules.is_authenticated)

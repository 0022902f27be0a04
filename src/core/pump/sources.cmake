# sources of core/pump (owner: that folder)

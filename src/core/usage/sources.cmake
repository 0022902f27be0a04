# sources of core/usage (owner: that folder)

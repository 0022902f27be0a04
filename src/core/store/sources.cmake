# sources of core/store (owner: that folder)

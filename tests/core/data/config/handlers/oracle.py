# Exists so that full.yaml's exec handler names a real script: the loader refuses a script that is not
# there. tst_configloader never runs it.

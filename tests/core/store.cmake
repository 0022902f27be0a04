# tests for core/store

# The durability test runs this helper in a child process and kills it with SIGKILL while it writes.
add_executable(storecrashwriter store/storecrashwriter.cpp)
target_link_libraries(storecrashwriter PRIVATE agentdesk_common_cfg agentdesk_core)

# One suite, both engines: tst_historystore_postgresql runs the same executable against a private
# PostgreSQL server (AGENTDESK_TEST_HISTORY=postgresql), each test in an organism of its own.
agentdesk_add_test(tst_historystore SOURCES store/tst_historystore.cpp LIBS agentdesk_core agentdesk_test_history Qt6::Sql)
add_dependencies(tst_historystore storecrashwriter)
target_compile_definitions(tst_historystore PRIVATE STORECRASHWRITER_PATH="$<TARGET_FILE:storecrashwriter>")
agentdesk_add_postgresql_variant(tst_historystore)

agentdesk_add_test(tst_historytrace SOURCES store/tst_historytrace.cpp LIBS agentdesk_core Qt6::Sql)
agentdesk_add_test(tst_sqlitestatement SOURCES store/tst_sqlitestatement.cpp LIBS agentdesk_core Qt6::Sql)
# A full disk under a real organism: acknowledgements only once committed (a 4 MiB tmpfs).
agentdesk_add_test(tst_historyfailure SOURCES store/tst_historyfailure.cpp LIBS agentdesk_test_organism)

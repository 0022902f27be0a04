# The organism's tests start it with tests/support's OrganismFixture (agentdesk_test_organism).
agentdesk_add_test(tst_organism SOURCES organism/tst_organism.cpp LIBS agentdesk_test_organism)
agentdesk_add_test(tst_injectacknowledgement SOURCES organism/tst_injectacknowledgement.cpp LIBS agentdesk_test_organism)

# Resume on start: this helper runs an organism in a child process that the test kills (SIGKILL).
add_executable(organismrunner organism/organismrunner.cpp)
target_link_libraries(organismrunner PRIVATE agentdesk_common_cfg agentdesk_test_organism)
agentdesk_add_test(tst_organismresume SOURCES organism/tst_organismresume.cpp LIBS agentdesk_test_organism)
add_dependencies(tst_organismresume organismrunner)
target_compile_definitions(tst_organismresume PRIVATE ORGANISMRUNNER_PATH="$<TARGET_FILE:organismrunner>")
agentdesk_add_test(tst_admission SOURCES organism/tst_admission.cpp LIBS agentdesk_test_organism)
agentdesk_add_test(tst_organismbranch SOURCES organism/tst_organismbranch.cpp LIBS agentdesk_test_organism)
agentdesk_add_test(tst_deliveryretry SOURCES organism/tst_deliveryretry.cpp LIBS agentdesk_test_organism)
agentdesk_add_test(tst_organismtrace SOURCES organism/tst_organismtrace.cpp LIBS agentdesk_test_organism)

# The organism on PostgreSQL: the same suites, the history on the test's private server (testhistory.h),
# the kill -9 and resume test among them.
agentdesk_add_postgresql_variant(tst_organism)
agentdesk_add_postgresql_variant(tst_injectacknowledgement)
agentdesk_add_postgresql_variant(tst_organismresume)

# The facade's parts, each on its own (src/core/organism/).
agentdesk_add_test(tst_threadbook SOURCES organism/tst_threadbook.cpp LIBS agentdesk_core)
agentdesk_add_test(tst_changebatcher SOURCES organism/tst_changebatcher.cpp LIBS agentdesk_core)
agentdesk_add_test(tst_agentroster SOURCES organism/tst_agentroster.cpp LIBS agentdesk_core)
agentdesk_add_test(tst_listenerfactory SOURCES organism/tst_listenerfactory.cpp LIBS agentdesk_core)
agentdesk_add_test(tst_reloadplanner SOURCES organism/tst_reloadplanner.cpp LIBS agentdesk_core)
agentdesk_add_test(tst_deliveryretries SOURCES organism/tst_deliveryretries.cpp LIBS agentdesk_core)
agentdesk_add_test(tst_budgetwarnings SOURCES organism/tst_budgetwarnings.cpp LIBS agentdesk_core)

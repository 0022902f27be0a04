agentdesk_add_test(tst_organism SOURCES tst_organism.cpp support/organismstarter.cpp support/sqlitewritelock.cpp LIBS agentdesk_core)
agentdesk_add_test(tst_injectacknowledgement SOURCES tst_injectacknowledgement.cpp support/organismstarter.cpp support/sqlitewritelock.cpp LIBS agentdesk_core)

# Resume on start: this helper runs an organism in a child process that the test kills (SIGKILL).
add_executable(organismrunner organismrunner.cpp support/organismstarter.cpp)
target_link_libraries(organismrunner PRIVATE agentdesk_common_cfg agentdesk_core)
target_include_directories(organismrunner PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
agentdesk_add_test(tst_organismresume SOURCES tst_organismresume.cpp support/organismstarter.cpp LIBS agentdesk_core)
add_dependencies(tst_organismresume organismrunner)
target_compile_definitions(tst_organismresume PRIVATE ORGANISMRUNNER_PATH="$<TARGET_FILE:organismrunner>")
agentdesk_add_test(tst_admission SOURCES tst_admission.cpp support/organismstarter.cpp LIBS agentdesk_core)
agentdesk_add_test(tst_historyfailure SOURCES tst_historyfailure.cpp support/organismstarter.cpp LIBS agentdesk_core)
agentdesk_add_test(tst_organismbranch SOURCES tst_organismbranch.cpp support/organismstarter.cpp LIBS agentdesk_core)
agentdesk_add_test(tst_organismtrace SOURCES tst_organismtrace.cpp LIBS agentdesk_core)

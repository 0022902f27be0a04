#pragma once

#include "llmbackend.h"

#include <QString>

namespace agentdesk {

// Sends one attempt through `backend` and spins the event loop until its reply arrives (or 20 s
// pass, which fails the calling test through the empty optional).
std::optional<BackendReply> sendAndWait(LlmBackend &backend, const LlmRequest &request);

// A backend configuration pointing at `baseUrl` with test-friendly defaults.
LlmBackendConfig backendConfig(const QString &provider, const QString &baseUrl, const QString &name = {});

// A system + user conversation for `model`.
LlmRequest chatRequest(const QString &model, const QString &system = QStringLiteral("You are terse."),
                       const QString &user = QStringLiteral("Say hello."));

// A port on 127.0.0.1 where nothing listens (bound, then released).
quint16 closedPort();

} // namespace agentdesk

#pragma once

#include "llmbackend.h"

#include <QSet>

namespace agentdesk {

// Provider `demo`: answers without a network or a key so the organism can be tried offline. Replies
// are deterministic and shaped like a real model's: a short prose sentence, then — when the system
// prompt shows an `<example peer="…">` block — one payload for the first such peer with every
// placeholder filled from the incoming payload (the last user message): text (`...`), and integers,
// decimals and booleans (`0`, `0.0`, `false`) with plausible values that still match the field's
// type, so a demo can drive numeric routing. Every reply says it is a demo, the
// provider is "demo" and the token counts are estimated from the text.
class DemoBackend : public LlmBackend
{
    Q_OBJECT
public:
    explicit DemoBackend(const LlmBackendConfig &config, QObject *parent = nullptr);

    // The reply text for this request; the same request always gets the same text.
    static QString compose(const LlmRequest &request);

protected:
    bool servesByConvention(const QString &model) const override;
    void start(quint64 attemptId, const LlmRequest &request) override;
    void stop(quint64 attemptId) override;

private:
    QSet<quint64> m_pending;
};

} // namespace agentdesk

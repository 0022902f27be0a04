#pragma once

#include "httpllmbackend.h"

namespace agentdesk {

// Ollama's native chat API: POST {base or http://localhost:11434}/api/chat; `stream` as the backend
// says (one JSON object per line), tools as `tools`/`message.tool_calls`.
// Serves the models listed in `models` (or `supported_models`), every model when none are listed.
// A key is optional (for an Ollama behind an authenticating proxy) and sent as a Bearer token.
class OllamaBackend : public HttpLlmBackend
{
    Q_OBJECT
public:
    OllamaBackend(const LlmBackendConfig &config, const QString &apiKey, QNetworkAccessManager *network,
                  QObject *parent = nullptr);

protected:
    bool servesByConvention(const QString &model) const override;
    QString defaultBaseUrl() const override;
    QString path() const override;
    void addHeaders(QNetworkRequest *request) const override;
    QJsonObject body(const LlmRequest &request, bool stream) const override;
    Parsed parse(const QJsonObject &reply) const override;
    std::unique_ptr<StreamDecoder> decoder() const override;
    bool keyRequired() const override;
    bool nativeToolsByDefault() const override { return true; }
};

} // namespace agentdesk

#pragma once

#include "httpllmbackend.h"

namespace agentdesk {

// The OpenAI chat-completions wire format: POST {base}/chat/completions with a Bearer key. Serves
// provider openai (api.openai.com, models containing gpt, o1, o3 or o4), xai (api.x.ai, models
// starting with grok), and every server that speaks the same format — openai-compatible, vllm,
// llamacpp, lmstudio, Ollama's /v1 — whose base_url is required and which serve every model unless
// `models` lists them.
class OpenAiCompatibleBackend : public HttpLlmBackend
{
    Q_OBJECT
public:
    OpenAiCompatibleBackend(const LlmBackendConfig &config, const QString &apiKey, QNetworkAccessManager *network,
                            QObject *parent = nullptr);

    static bool handlesProvider(const QString &provider);

protected:
    bool servesByConvention(const QString &model) const override;
    QString defaultBaseUrl() const override;
    QString path() const override;
    void addHeaders(QNetworkRequest *request) const override;
    QJsonObject body(const LlmRequest &request, bool stream) const override;
    Parsed parse(const QJsonObject &reply) const override;
    std::unique_ptr<StreamDecoder> decoder() const override;
    bool keyRequired() const override;
    bool nativeToolsByDefault() const override;

private:
    bool isOpenAiReasoningModel(const QString &model) const;
};

} // namespace agentdesk

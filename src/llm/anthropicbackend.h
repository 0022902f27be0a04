#pragma once

#include "httpllmbackend.h"

namespace agentdesk {

// Anthropic's Messages API: POST {base}/messages with x-api-key and anthropic-version 2023-06-01.
// System messages travel in the top-level `system` field, max_tokens is mandatory (4096 unless the
// agent sets max_tokens). Tools as `tools`/`tool_use` blocks, streaming as Server-Sent Events. Serves
// models whose name contains claude or anthropic unless `models` lists them.
class AnthropicBackend : public HttpLlmBackend
{
    Q_OBJECT
public:
    static constexpr int DefaultMaxTokens = 4096;

    AnthropicBackend(const LlmBackendConfig &config, const QString &apiKey, QNetworkAccessManager *network,
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

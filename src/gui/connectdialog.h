#pragma once

#include <QDialog>
#include <QUrl>

#include <memory>

namespace Ui {
class ConnectDialog;
}

namespace agentdesk {

// Asks where an AgentServer is (http(s)://host:port) and its API key. Remembers the last few URLs —
// never the key.
class ConnectDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit ConnectDialog(QWidget *parent = nullptr);
    ~ConnectDialog() override;

    QUrl url() const; // invalid while the text is not an http(s) URL with a host
    QString apiKey() const;
    void setUrl(const QString &url);
    void setApiKey(const QString &key);

    void accept() override; // remembers the URL

    static QUrl parseUrl(const QString &text); // "host:port" gets http://; invalid when unusable

private:
    void updateState();

    std::unique_ptr<Ui::ConnectDialog> m_ui;
};

} // namespace agentdesk

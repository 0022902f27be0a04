#pragma once

#include <QDialog>
#include <QUrl>

#include <memory>

namespace Ui {
class ConnectDialog;
}

namespace agentdesk {

// Asks where an AgentServer is (http(s)://host:port) and how to get its API key: typed for this
// connection, or read from an environment variable. Servers can be saved under a name (URL and the
// variable's name — never the key) and the last few URLs are remembered. Without a port in the URL the
// kind of server chosen decides it: 8765 for agentdesk, 8080 for the original AgentServer.
class ConnectDialog final : public QDialog
{
    Q_OBJECT
public:
    enum class ServerKind { Agentdesk, Original };

    explicit ConnectDialog(QWidget *parent = nullptr);
    ~ConnectDialog() override;

    QUrl url() const;       // invalid while the text is not an http(s) URL with a host
    QString apiKey() const; // the typed key, else the environment variable's value
    QString keyVariable() const;
    void setUrl(const QString &url);
    void setApiKey(const QString &key);
    void setKeyVariable(const QString &name);
    void setServerKind(ServerKind kind);
    ServerKind serverKind() const;
    bool chooseSaved(const QString &name); // false when there is no such saved connection
    bool saveAs(const QString &name);      // what Save… does after asking for the name

    void accept() override; // remembers the URL and the kind of server

    static int defaultPort(ServerKind kind) { return kind == ServerKind::Original ? 8080 : 8765; }
    // "host[:port]" gets http://, a missing port `defaultPort`; invalid when unusable.
    static QUrl parseUrl(const QString &text, int defaultPort = 8765);

private:
    void populateSaved();
    void onKindChanged();
    void onSavedChosen();
    void askToSave();
    void forgetSaved();
    void updateState();
    QString defaultUrl(ServerKind kind) const;

    std::unique_ptr<Ui::ConnectDialog> m_ui;
};

} // namespace agentdesk

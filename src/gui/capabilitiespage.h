#pragma once

#include <QPointer>
#include <QWidget>

#include <memory>

class QSettings;
class QTableView;

namespace Ui {
class CapabilitiesPage;
}

namespace agentdesk {

class CapabilityModel;
class Session;

// What every listener accepts: its payload type and root element, peers, the XSD and an example payload
// (which can be sent as it is, through the inject dialog).
class CapabilitiesPage final : public QWidget
{
    Q_OBJECT
public:
    explicit CapabilitiesPage(QWidget *parent = nullptr);
    ~CapabilitiesPage() override;

    void setSession(Session *session);
    QString selectedListener() const;
    bool selectListener(const QString &name);
    QTableView *table() const;
    QString schemaText() const;
    QString exampleText() const;

    void saveState(QSettings &settings) const;
    void restoreState(const QSettings &settings);

public slots:
    void setCommandsEnabled(bool enabled);

signals:
    void injectRequested(const QString &target, const QString &xml);

private:
    void updateDetail();
    void fitColumns();

    std::unique_ptr<Ui::CapabilitiesPage> m_ui;
    QPointer<Session> m_session;
    std::unique_ptr<QObject> m_scope;
    QByteArray m_header; // the table's column layout, kept across sessions
    CapabilityModel *m_model = nullptr;
    bool m_commandsEnabled = true;
};

} // namespace agentdesk

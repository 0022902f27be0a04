#pragma once

#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <memory>

class QSettings;
class QTableView;
class QTreeWidgetItem;

namespace Ui {
class MessagesPage;
}

namespace agentdesk {

namespace wire {
struct XmlElement;
}

class MessageLogModel;
class Session;
struct MessageFilter;

// The live message log: newest first, filtered by agent, thread, payload type and text (the store
// answers the filters over the whole history); follow or hold the list; the selected payload as indented
// XML and as a tree of fields.
class MessagesPage final : public QWidget
{
    Q_OBJECT
public:
    explicit MessagesPage(QWidget *parent = nullptr);
    ~MessagesPage() override;

    void setSession(Session *session);
    MessageLogModel *model() const { return m_model; }
    QTableView *table() const;

    void setAgentFilter(const QString &agent);
    void setThreadFilter(const QString &threadId);
    void setTypeFilter(const QString &payloadType);
    void setTextFilter(const QString &text);
    MessageFilter filter() const; // what the fields say now
    void applyFilterNow();        // skips the typing delay

    bool isFollowing() const;
    void setFollowing(bool following);
    QString detailXml() const;        // the selected message as shown
    QStringList detailFields() const; // "path = value" lines of the fields tree

    void focusSearch();
    void saveState(QSettings &settings) const;
    void restoreState(const QSettings &settings);

signals:
    void showThreadRequested(const QString &threadId);

private:
    void populateChoices();
    void scheduleFilter();
    void updateFollowButton();
    void updateFooter();
    void updateDetail();
    void showContextMenu(const QPoint &position);
    void fillFields(QTreeWidgetItem *parent, const QVariant &value, const wire::XmlElement *element);

    std::unique_ptr<Ui::MessagesPage> m_ui;
    QPointer<Session> m_session;
    std::unique_ptr<QObject> m_scope;
    QByteArray m_header; // the table's column layout, kept across sessions
    MessageLogModel *m_model = nullptr;
    QTimer m_filterDelay;
};

} // namespace agentdesk

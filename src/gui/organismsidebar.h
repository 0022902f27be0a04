#pragma once

#include <QWidget>

class QMenu;
class QPushButton;
class QTreeView;

namespace agentdesk {

class OrganismDirectoryModel;
class Session;

// The window's list of organisms (a dock on its left): this process's, the attached connections and
// those found in a shared history, each with its status. Choosing a live one shows it in the pages; a
// right click offers to show, reconnect or disconnect it, or to connect to one found in a history;
// "Usage of all" opens the combined usage page.
class OrganismSidebar final : public QWidget
{
    Q_OBJECT
public:
    explicit OrganismSidebar(OrganismDirectoryModel *model, QWidget *parent = nullptr);

    QTreeView *view() const { return m_view; }
    QSize sizeHint() const override; // narrow: a name and a status, the pages keep the width
    // Selects the session's row (without emitting sessionChosen): the pages show it.
    void setCurrentSession(Session *session);
    // What a right click on the row offers (the actions are the menu's children).
    QMenu *contextMenuFor(int row);

signals:
    void sessionChosen(agentdesk::Session *session);
    void reconnectRequested(agentdesk::Session *session);
    void disconnectRequested(agentdesk::Session *session);
    void connectRequested(const QString &host); // to an organism found in a history
    void combinedUsageRequested();

private:
    void onCurrentChanged();
    void showContextMenu(const QPoint &position);

    OrganismDirectoryModel *m_model;
    QTreeView *m_view;
    QPushButton *m_usageButton;
    bool m_settingCurrent = false;
};

} // namespace agentdesk

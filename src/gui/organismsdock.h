#pragma once

#include <QDockWidget>

class QSettings;

namespace agentdesk {

class OrganismDirectoryModel;
class OrganismSidebar;

// The Organisms sidebar as a dock on the window's left (closed and moved like any dock; the window's
// saveState keeps where). One organism needs no list: it stays closed until a second organism is listed,
// unless the operator closed it — a choice kept in the settings.
class OrganismsDock final : public QDockWidget
{
    Q_OBJECT
public:
    OrganismsDock(OrganismDirectoryModel *organisms, QWidget *parent);

    OrganismSidebar *sidebar() const { return m_sidebar; }

    void saveState(QSettings &settings) const;
    void restoreState(const QSettings &settings);

private:
    OrganismDirectoryModel *m_organisms;
    OrganismSidebar *m_sidebar;
    bool m_hiddenByUser = false;
};

} // namespace agentdesk

#include "organismsdock.h"

#include "organismdirectorymodel.h"
#include "organismsidebar.h"

#include <QAction>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {

const QString kHiddenKey = u"window/sidebarHiddenByUser"_s;

} // namespace

OrganismsDock::OrganismsDock(OrganismDirectoryModel *organisms, QWidget *parent)
    : QDockWidget(tr("Organisms"), parent)
    , m_organisms(organisms)
    , m_sidebar(new OrganismSidebar(organisms, this))
{
    setObjectName(u"organismsDock"_s);
    setWidget(m_sidebar);
    setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable);
    hide();
    connect(organisms, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_organisms->rowCount() > 1 && !m_hiddenByUser)
            show();
    });
    QAction *toggle = toggleViewAction();
    toggle->setObjectName(u"actionOrganisms"_s);
    toggle->setText(tr("O&rganisms sidebar"));
    connect(toggle, &QAction::triggered, this, [this](bool shown) { m_hiddenByUser = !shown; });
}

void OrganismsDock::saveState(QSettings &settings) const
{
    settings.setValue(kHiddenKey, m_hiddenByUser);
}

void OrganismsDock::restoreState(const QSettings &settings)
{
    m_hiddenByUser = settings.value(kHiddenKey, false).toBool();
}

} // namespace agentdesk

#include "stateicons.h"

#include "modelformat.h"

#include <QHash>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

using namespace Qt::StringLiterals;

namespace agentdesk::stateicons {

namespace {

constexpr int kSizes[] = {16, 24, 32, 48};

QPixmap badge(int size, const QColor &color, AgentState state)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF disc(1, 1, size - 2, size - 2);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawEllipse(disc);
    painter.setBrush(Qt::white);
    painter.setPen(QPen(Qt::white, size / 10.0, Qt::SolidLine, Qt::RoundCap));
    const QPointF c = disc.center();
    const double r = size * 0.22;
    switch (state) {
    case AgentState::Processing: {
        QPainterPath triangle;
        triangle.moveTo(c.x() - r * 0.7, c.y() - r);
        triangle.lineTo(c.x() + r, c.y());
        triangle.lineTo(c.x() - r * 0.7, c.y() + r);
        triangle.closeSubpath();
        painter.setPen(Qt::NoPen);
        painter.drawPath(triangle);
        break;
    }
    case AgentState::Paused:
        painter.setPen(Qt::NoPen);
        painter.drawRect(QRectF(c.x() - r, c.y() - r, r * 0.7, 2 * r));
        painter.drawRect(QRectF(c.x() + r * 0.3, c.y() - r, r * 0.7, 2 * r));
        break;
    case AgentState::Waiting:
        painter.setBrush(Qt::NoBrush);
        painter.drawLine(c, QPointF(c.x(), c.y() - r));
        painter.drawLine(c, QPointF(c.x() + r * 0.8, c.y()));
        break;
    case AgentState::Error:
        painter.drawLine(QPointF(c.x() - r, c.y() - r), QPointF(c.x() + r, c.y() + r));
        painter.drawLine(QPointF(c.x() + r, c.y() - r), QPointF(c.x() - r, c.y() + r));
        break;
    case AgentState::Idle:
        painter.setPen(Qt::NoPen);
        painter.drawRect(QRectF(c.x() - r * 0.8, c.y() - r * 0.8, r * 1.6, r * 1.6));
        break;
    }
    return pixmap;
}

} // namespace

QIcon agentState(AgentState state)
{
    static QHash<int, QIcon> cache;
    const auto found = cache.constFind(int(state));
    if (found != cache.cend())
        return *found;
    QIcon drawn;
    for (int size : kSizes)
        drawn.addPixmap(badge(size, modelformat::stateColor(state), state));
    // Drawn badges even when the theme has icons: they carry the colour the tables use for the state.
    cache.insert(int(state), drawn);
    return drawn;
}

QIcon disc(const QColor &color)
{
    QIcon icon;
    for (int size : kSizes) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(color);
        painter.drawEllipse(QRectF(size * 0.2, size * 0.2, size * 0.6, size * 0.6));
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

QIcon application()
{
    QIcon icon;
    icon.addFile(u":/icons/io.github.agentdesk.agentdesk.svg"_s);
    icon.addFile(u":/icons/io.github.agentdesk.agentdesk-48.png"_s);
    icon.addFile(u":/icons/io.github.agentdesk.agentdesk-256.png"_s);
    return icon;
}

} // namespace agentdesk::stateicons

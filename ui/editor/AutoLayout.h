#pragma once
#include "graph/Graph.h"

#include <QHash>
#include <QPointF>
#include <QString>

namespace nc::ui {

// Top-to-bottom layered layout: each node sits one row below its deepest input; within a row
// nodes are ordered by the mean column of their inputs (long edges reserve a column so skip
// connections get a free lane beside the main path). Returns the top-left of every node.
QHash<QString, QPointF> autoLayout(const nc::Graph& graph);

// Whether any two nodes overlap at their stored positions (files saved before the layout).
bool nodesOverlap(const nc::Graph& graph);

} // namespace nc::ui

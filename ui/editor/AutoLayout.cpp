#include "editor/AutoLayout.h"

#include "editor/EditorStyle.h"

#include <QRectF>

#include <algorithm>
#include <cmath>
#include <map>

namespace nc::ui {

QHash<QString, QPointF> autoLayout(const nc::Graph& graph) {
    const auto& nodes = graph.nodes();
    const int n = static_cast<int>(nodes.size());
    std::map<std::string, int> index;
    for (int i = 0; i < n; ++i)
        index[nodes[i].id] = i;
    std::vector<std::vector<int>> preds(n), succs(n);
    for (const nc::Edge& e : graph.edges()) {
        auto f = index.find(e.from.node), t = index.find(e.to.node);
        if (f == index.end() || t == index.end() || f->second == t->second)
            continue;
        preds[t->second].push_back(f->second);
        succs[f->second].push_back(t->second);
    }
    // Rows by longest path from a source (Kahn order; nodes left in a cycle keep row 0 + index).
    std::vector<int> row(n, 0), indegree(n, 0);
    for (int i = 0; i < n; ++i)
        indegree[i] = static_cast<int>(preds[i].size());
    std::vector<int> ready, order;
    for (int i = 0; i < n; ++i)
        if (indegree[i] == 0)
            ready.push_back(i);
    while (!ready.empty()) {
        const int i = ready.front();
        ready.erase(ready.begin());
        order.push_back(i);
        for (int j : succs[i]) {
            row[j] = std::max(row[j], row[i] + 1);
            if (--indegree[j] == 0)
                ready.push_back(j);
        }
    }
    // Slots per row: real nodes plus one placeholder per edge crossing the row, so that a skip
    // connection keeps a column to itself instead of running through the main path.
    struct Slot {
        int node;     // -1 for a placeholder
        double key;   // barycentre of its inputs' columns
        int edgeFrom; // for placeholders: the edge's source, to follow it row by row
        int edgeTo;
    };
    int rows = 0;
    for (int r : row)
        rows = std::max(rows, r + 1);
    std::vector<std::vector<Slot>> slots(rows);
    for (int i : order)
        slots[row[i]].push_back({i, 0, -1, -1});
    for (int i = 0; i < n; ++i)
        for (int j : succs[i])
            for (int r = row[i] + 1; r < row[j]; ++r)
                slots[r].push_back({-1, 0, i, j});
    std::vector<double> column(n, 0);
    std::map<std::pair<int, int>, double> laneColumn; // (from, to) -> column in previous row
    for (int r = 0; r < rows; ++r) {
        for (Slot& s : slots[r]) {
            if (s.node >= 0) {
                double sum = 0;
                int count = 0;
                for (int p : preds[s.node]) {
                    auto lane = laneColumn.find({p, s.node});
                    sum += lane != laneColumn.end() ? lane->second : column[p];
                    ++count;
                }
                s.key = count ? sum / count : 0;
            } else {
                auto lane = laneColumn.find({s.edgeFrom, s.edgeTo});
                // Placeholders lean right so the main path stays in the left column.
                s.key = (lane != laneColumn.end() ? lane->second : column[s.edgeFrom]) + 0.5;
            }
        }
        std::stable_sort(slots[r].begin(), slots[r].end(), [](const Slot& a, const Slot& b) { return a.key < b.key; });
        for (int c = 0; c < static_cast<int>(slots[r].size()); ++c) {
            const Slot& s = slots[r][c];
            if (s.node >= 0)
                column[s.node] = c;
            else
                laneColumn[{s.edgeFrom, s.edgeTo}] = c;
        }
    }
    QHash<QString, QPointF> out;
    for (int i = 0; i < n; ++i) {
        // Snap to the grid so a later drag keeps nodes aligned.
        const double x = std::round(column[i] * kColumnStep / kGridSize) * kGridSize;
        const double y = std::round(row[i] * kRowStep / kGridSize) * kGridSize;
        out.insert(QString::fromStdString(nodes[i].id), QPointF(x, y));
    }
    return out;
}

bool nodesOverlap(const nc::Graph& graph) {
    const auto& nodes = graph.nodes();
    for (std::size_t i = 0; i < nodes.size(); ++i)
        for (std::size_t j = i + 1; j < nodes.size(); ++j) {
            // A margin below each node leaves room for the edge label between rows.
            const QRectF a(nodes[i].x, nodes[i].y, kNodeWidth, kNodeHeight + 20);
            const QRectF b(nodes[j].x, nodes[j].y, kNodeWidth, kNodeHeight + 20);
            if (a.intersects(b))
                return true;
        }
    return false;
}

} // namespace nc::ui

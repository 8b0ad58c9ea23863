/// Tarjan's algorithm without recursion (a schema may have tens of thousands of subschemas).
enum StronglyConnectedComponents {
    /// The components of the graph whose node `i` has edges to `edges[i]`, each a list of nodes.
    static func find(edges: [[Int]]) -> [[Int]] {
        let count = edges.count
        var index = Array(repeating: -1, count: count)
        var lowLink = Array(repeating: 0, count: count)
        var onStack = Array(repeating: false, count: count)
        var stack: [Int] = []
        var components: [[Int]] = []
        var nextIndex = 0
        // Each frame: a node and how many of its edges have been followed.
        var frames: [(node: Int, edge: Int)] = []

        for start in 0..<count where index[start] < 0 {
            frames.append((start, 0))
            while let frame = frames.last {
                let node = frame.node
                if frame.edge == 0, index[node] < 0 {
                    index[node] = nextIndex
                    lowLink[node] = nextIndex
                    nextIndex += 1
                    stack.append(node)
                    onStack[node] = true
                }
                if frame.edge < edges[node].count {
                    let target = edges[node][frame.edge]
                    frames[frames.count - 1].edge += 1
                    guard target >= 0, target < count else { continue }
                    if index[target] < 0 {
                        frames.append((target, 0))
                    } else if onStack[target] {
                        lowLink[node] = min(lowLink[node], index[target])
                    }
                    continue
                }
                frames.removeLast()
                if let parent = frames.last { lowLink[parent.node] = min(lowLink[parent.node], lowLink[node]) }
                if lowLink[node] == index[node] {
                    var component: [Int] = []
                    while let member = stack.popLast() {
                        onStack[member] = false
                        component.append(member)
                        if member == node { break }
                    }
                    components.append(component)
                }
            }
        }
        return components
    }
}

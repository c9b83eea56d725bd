@main
struct Newsd {
    static func main() {}
}

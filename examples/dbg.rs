fn main() {
    let t = vouch::matcher::Thesaurus::builtin();
    let a = vouch::matcher::Analyzer::new(&t);
    for s in std::env::args().skip(1) {
        let x = a.question(&s);
        println!("{:?}\n{:?}\n", x.polarity, x.concepts);
    }
}

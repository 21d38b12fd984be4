//! Gradient flow / gradient descent theory (THEORY §13): limits, identities, and
//! agreement with simulation.

use detridge::Task;

fn two_block(d: usize, noise: f64) -> Task {
    let h = d / 2;
    let mut s = vec![1.0; h];
    s.extend(vec![0.1; d - h]);
    let w: Vec<f64> = (0..d)
        .map(|k| if k < h { 0.5 } else { 1.5 } / (d as f64).sqrt())
        .collect();
    Task::from_weights(&s, &w, noise).unwrap()
}

#[test]
fn scratch() {
    for task in [
        Task::isotropic(500.0, 1.0, 0.25).unwrap(),
        two_block(500, 0.25),
        Task::power_law(1.5, 0.5, Some(500), 0.25).unwrap(),
        Task::power_law(1.5, 0.5, None, 0.25).unwrap(),
    ] {
        for &p in &[250.0, 500.0, 1000.0] {
            for &lam in &[0.0, 1e-2] {
                let start = std::time::Instant::now();
                let r = task.gradient_flow_curve(p, lam, &[1e-6, 1.0, 1e3, 1e6]);
                let el = start.elapsed();
                match r {
                    Ok(c) => {
                        let rid = task.ridge(p, lam);
                        eprintln!(
                            "p={p} lam={lam}: t=1e-6 {:.6e} (sv {:.6e}) t=1 {:.6e} t=1e3 {:.6e} t=1e6 {:.10e} ridge {:?} qerr {:.1e} nodes {} passes {} {:?}",
                            c[0].test_error,
                            task.signal_variance(),
                            c[1].test_error,
                            c[2].test_error,
                            c[3].test_error,
                            rid.map(|r| r.test_error),
                            c[3].quadrature_error,
                            c[3].nodes,
                            c[3].passes,
                            el
                        );
                        eprintln!(
                            "   train t=1e-6 {:.6e} t=1e6 {:.10e} ridge {:?}",
                            c[0].train_error,
                            c[3].train_error,
                            task.ridge(p, lam).map(|r| r.train_error)
                        );
                    }
                    Err(e) => eprintln!("p={p} lam={lam}: ERR {e}"),
                }
            }
        }
    }
}
#[test]
fn scratch2() {
    let task = Task::isotropic(500.0, 1.0, 0.25).unwrap();
    for ts in [vec![1.0], vec![1e3], vec![1e6]] {
        let r = task.gradient_flow_curve(250.0, 0.0, &ts);
        eprintln!("{ts:?} {:?}", r.map(|c| c[0].test_error));
    }
    let task = Task::power_law(1.5, 0.5, None, 0.25).unwrap();
    let r = task.gradient_flow_curve(250.0, 0.0, &[1.0, 1e6]);
    eprintln!(
        "{:?} ridge {:?}",
        r.map(|c| (c[0].test_error, c[1].test_error, c[1].passes, c[1].nodes)),
        task.ridge(250.0, 0.0).map(|r| r.test_error)
    );
}
